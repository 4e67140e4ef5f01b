package io.elanus.api;

import io.elanus.proto.IndexMeta;
import io.elanus.proto.SegmentIndexMeta;
import io.elanus.proto.SegmentMeta;
import io.elanus.proto.WalPositionPb;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the proxy, datanodes, querycoord and indexnodes ask of datacoord. */
public interface DataCoordClient {

    /** A growing segment of (collection, partition, vchannel) with room for {@code rows} more rows. */
    long assignSegment(long collectionId, long partitionId, String vchannel, int rows);

    /** Seals every growing segment of the collection and asks the datanodes to persist them and all deletes up to now. */
    FlushResult flush(long collectionId);

    /** True once every listed segment is flushed and every channel of the collection has checkpointed past {@code flushTs}. */
    boolean flushed(long collectionId, List<Long> segmentIds, long flushTs);

    /** All live (not dropped) segments of a collection, L0 delete segments included. */
    List<SegmentMeta> segments(long collectionId);

    Optional<SegmentMeta> segment(long segmentId);

    /** Rows of a segment buffered by its datanode but not yet flushed (for statistics). */
    long bufferedRows(long segmentId);

    /** Where replay of a vchannel must start: everything before it is in flushed segments. */
    WalPositionPb channelCheckpoint(String vchannel);

    /** Called by a datanode when segments (and/or a delete log) are persisted: updates meta and the checkpoint atomically. */
    void saveFlushResult(String vchannel, List<SegmentMeta> flushedSegments, WalPositionPb checkpoint);

    /**
     * Called by a datanode once per batch of WAL messages it applied (not per message): how many
     * rows each growing segment whose count changed holds now. Datacoord uses the counts for
     * statistics of growing segments and to pick the segment to seal early under memory pressure;
     * both tolerate a count one batch old.
     */
    void reportBufferedRows(Map<Long, Long> rowsBySegment);

    /**
     * Called by a datanode when it cannot apply the WAL of a vchannel ({@code reason} says why) and
     * again with an empty reason once it can: flushes that wait on the channel fail with the reason
     * meanwhile, instead of never completing.
     */
    void reportChannelFault(String vchannel, String reason);

    // ---------------------------------------------------------------- indexes (Milvus 2.6 keeps them in datacoord)

    void createIndex(IndexMeta index);

    List<IndexMeta> indexes(long collectionId);

    void dropIndex(long collectionId, long indexId);

    List<SegmentIndexMeta> segmentIndexes(long collectionId);

    /**
     * An index node's result of a build datacoord assigned to it ({@code indexwatch/{nodeID}/{buildID}}):
     * saved only while that build is still assigned; otherwise dropped, with its files.
     */
    void saveSegmentIndex(SegmentIndexMeta segmentIndex);

    void addSegmentListener(SegmentListener listener);

    record FlushResult(List<Long> segmentIds, long flushTs) {
    }
}
