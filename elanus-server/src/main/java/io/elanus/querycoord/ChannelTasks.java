package io.elanus.querycoord;

import io.elanus.api.DataCoordClient;
import io.elanus.api.QueryNodeClient;
import io.elanus.proto.CollectionInfo;
import io.elanus.proto.IndexMeta;
import io.elanus.proto.SegmentIndexMeta;
import io.elanus.proto.SegmentMeta;
import io.elanus.proto.SegmentStateInternal;
import io.milvus.grpc.IndexState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The remote work of querycoord's tasks: calls on query nodes and datacoord (gRPC in a cluster).
 * Runs on the task pool, never on the loop thread and never under a lock; it only reads its
 * arguments, and tells the loop what it did through its return value.
 */
final class ChannelTasks {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelTasks.class);
    /** How long a node taking a channel over may take to catch up with the node serving it before it takes its searches anyway. */
    static final Duration MOVE_CATCH_UP = Duration.ofSeconds(30);
    private static final long CATCH_UP_POLL_MS = 50;

    /** A vector index file of a sealed segment, as loaded on a query node. */
    record IndexKey(long segmentId, long fieldId, String objectKey) {
    }

    /** An index to load on the node serving {@code vchannel}. */
    record IndexLoad(String vchannel, long collectionId, IndexKey key) {
    }

    /**
     * A node now serving a channel.
     *
     * @param segments     the flushed segments it was given
     * @param triedIndexes the indexes it was asked to load (a failed one is not tried again: the segment stays searchable exactly)
     */
    record Placed(QueryNodeClient node, Set<Long> segments, Set<IndexKey> triedIndexes) {
    }

    private final DataCoordClient dataCoord;
    private final WalHolds holds;
    private final BooleanSupplier stopping;

    ChannelTasks(DataCoordClient dataCoord, WalHolds holds, BooleanSupplier stopping) {
        this.dataCoord = dataCoord;
        this.holds = holds;
        this.stopping = stopping;
    }

    /**
     * Makes a node the delegator of the vchannel. A live node that serves it already keeps it (a
     * querycoord that restarted while its query nodes ran on); otherwise {@code target} loads it.
     */
    Placed place(long task, CollectionInfo c, String vchannel, QueryNodeClient target, List<QueryNodeClient> live) {
        for (QueryNodeClient n : live) {
            if (servesAlready(n, vchannel)) {
                LOG.info("query node {} already serves vchannel {}; it keeps it", n.nodeId(), vchannel);
                return new Placed(n, Set.of(), Set.of());
            }
        }
        Placed p = watch(task, c, vchannel, target);
        LOG.info("vchannel {} of collection {} placed on query node {}", vchannel, c.getId(), target.nodeId());
        return p;
    }

    private static boolean servesAlready(QueryNodeClient n, String vchannel) {
        try {
            return n.tsafe(vchannel) >= 0;
        } catch (RuntimeException e) {
            return false; // unreachable: not a candidate; its session going away will be noticed
        }
    }

    /** Sealed segments from storage, the rest from the WAL, then the indexes built so far. */
    private Placed watch(long task, CollectionInfo c, String vchannel, QueryNodeClient node) {
        // Checkpoint before the segment list: a segment flushed in between is then either in the
        // list (its WAL inserts are skipped) or still after the checkpoint (consumed as growing).
        // The whole channel is held while the checkpoint is read: it may move on meanwhile.
        holds.hold(task, vchannel, 0);
        long from = dataCoord.channelCheckpoint(vchannel).getOffset();
        holds.hold(task, vchannel, from);
        List<SegmentMeta> flushed = dataCoord.segments(c.getId()).stream()
                .filter(s -> s.getState() == SegmentStateInternal.FLUSHED).toList();
        node.watchChannel(c, vchannel, from, flushed);
        Set<Long> given = new HashSet<>();
        flushed.stream().filter(s -> s.getVchannel().equals(vchannel)).forEach(s -> given.add(s.getId()));
        return new Placed(node, given, loadIndexes(node, builtIndexes(c, vchannel)));
    }

    /**
     * Moves a vchannel: the new node loads it and catches up with the serving node's tsafe (bounded),
     * then the loop switches searches to it and has the old node let go. A new node that failed
     * lets go of what it loaded.
     */
    Placed move(long task, CollectionInfo c, String vchannel, QueryNodeClient from, QueryNodeClient to)
            throws InterruptedException {
        try {
            Placed p = watch(task, c, vchannel, to);
            long target = from.tsafe(vchannel);
            long deadline = System.nanoTime() + MOVE_CATCH_UP.toNanos();
            while (to.tsafe(vchannel) < target && System.nanoTime() < deadline && !stopping.getAsBoolean()) {
                Thread.sleep(CATCH_UP_POLL_MS);
            }
            return p;
        } catch (RuntimeException e) {
            releaseChannel(to, vchannel);
            throw e;
        }
    }

    private List<IndexLoad> builtIndexes(CollectionInfo c, String vchannel) {
        Map<Long, IndexMeta> byId = new HashMap<>();
        dataCoord.indexes(c.getId()).forEach(i -> byId.put(i.getIndexId(), i));
        List<IndexLoad> out = new ArrayList<>();
        for (SegmentIndexMeta si : dataCoord.segmentIndexes(c.getId())) {
            IndexMeta index = byId.get(si.getIndexId());
            if (index == null || si.getState() != IndexState.Finished || si.getFilesCount() == 0) {
                continue;
            }
            SegmentMeta segment = dataCoord.segment(si.getSegmentId()).orElse(null);
            if (segment != null && segment.getVchannel().equals(vchannel)) {
                out.add(new IndexLoad(vchannel, c.getId(), new IndexKey(segment.getId(), index.getFieldId(), si.getFiles(0))));
            }
        }
        return out;
    }

    /** Loads each index on the node; returns those tried. A failure is logged and the segment stays searchable exactly. */
    Set<IndexKey> loadIndexes(QueryNodeClient node, Collection<IndexLoad> loads) {
        Set<IndexKey> tried = new HashSet<>();
        for (IndexLoad l : loads) {
            tried.add(l.key());
            try {
                node.loadIndex(l.collectionId(), l.key().segmentId(), l.key().fieldId(), l.key().objectKey());
            } catch (RuntimeException e) {
                // A corrupt or missing index file is never served.
                LOG.error("loading index of segment {} on query node {} failed", l.key().segmentId(), node.nodeId(), e);
            }
        }
        return tried;
    }

    /** Hands flushed segments over in order, up to the first the node refuses; returns those it took. */
    List<Long> handOff(QueryNodeClient node, List<SegmentMeta> segments) {
        List<Long> done = new ArrayList<>();
        for (SegmentMeta s : segments) {
            try {
                node.onSegmentFlushed(s);
            } catch (RuntimeException e) {
                LOG.warn("query node {} did not take flushed segment {}: {}", node.nodeId(), s.getId(), e.toString());
                break;
            }
            done.add(s.getId());
        }
        return done;
    }

    void releaseChannel(QueryNodeClient node, String vchannel) {
        try {
            node.releaseChannel(vchannel);
        } catch (RuntimeException e) {
            LOG.warn("query node {} did not release vchannel {}: {}", node.nodeId(), vchannel, e.toString());
        }
    }

    void releaseCollection(long collectionId, Collection<QueryNodeClient> nodes) {
        for (QueryNodeClient n : nodes) {
            try {
                n.releaseCollection(collectionId);
            } catch (RuntimeException e) {
                LOG.warn("query node {} did not release collection {}: {}", n.nodeId(), collectionId, e.toString());
            }
        }
    }
}
