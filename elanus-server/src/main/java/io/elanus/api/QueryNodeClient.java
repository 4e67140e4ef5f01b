package io.elanus.api;

import io.elanus.proto.CollectionInfo;
import io.elanus.proto.SegmentMeta;

import java.util.Collection;
import java.util.List;

/** What querycoord and the proxy ask of a query node. */
public interface QueryNodeClient {
    long nodeId();

    /** Becomes the shard delegator of the vchannel: loads the flushed segments, then follows the WAL from {@code startOffset}. */
    void watchChannel(CollectionInfo collection, String vchannel, long startOffset, Collection<SegmentMeta> flushed);

    void onSegmentFlushed(SegmentMeta segment);

    void releaseCollection(long collectionId);

    /** Stops serving the vchannel (it moved to another node): its delegator, segments and indexes go. */
    void releaseChannel(String vchannel);

    /** Serves the sealed segment's searches on {@code fieldId} through the index file at {@code objectKey} from now on. */
    void loadIndex(long collectionId, long segmentId, long fieldId, String objectKey);

    /** The WAL offset the delegator of the vchannel still reads from, or -1 if this node does not serve it. */
    long walPosition(String vchannel);

    /** The channel's tsafe, or -1 if this node does not serve it. */
    long tsafe(String vchannel);

    List<List<Hit>> search(String vchannel, SearchSpec spec, long timeoutMs);

    List<Hit> query(String vchannel, QuerySpec spec, long timeoutMs);

    long count(String vchannel, QuerySpec spec, long timeoutMs);

    /** Rows currently loaded per segment of a collection (GetQuerySegmentInfo). */
    java.util.Map<Long, Long> loadedSegments(long collectionId);
}
