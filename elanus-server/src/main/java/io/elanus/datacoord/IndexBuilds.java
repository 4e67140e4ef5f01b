package io.elanus.datacoord;

import com.google.protobuf.InvalidProtocolBufferException;
import io.elanus.proto.IndexBuildTask;
import io.elanus.proto.IndexMeta;
import io.elanus.proto.SegmentMeta;
import io.elanus.storage.kv.KvEntry;
import io.elanus.storage.kv.MetaKv;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Assigns each index build (one index of one flushed segment) to one index node, the way
 * {@link ChannelManager} assigns channels to datanodes: by writing
 * {@code indexwatch/{nodeID}/{buildID}} = IndexBuildTask into the meta store. The index node
 * watching its prefix builds what is there and reports through DataCoord#saveSegmentIndex, which
 * records the result and deletes the key in one transaction.
 *
 * <p>A node holds at most {@link #MAX_PER_NODE} builds, so a slow node hoards nothing and a node
 * that joins gets work; the builds not assigned yet are not stored: datacoord derives them from its
 * meta (flushed segments, indexes, built segment indexes) whenever it {@link #reconcile}s. When a
 * node's session is gone its builds go to live nodes under new build IDs, so that a late result
 * of the old build is told apart and dropped.
 *
 * <p>Not thread-safe: owned by datacoord's state thread.
 */
final class IndexBuilds {
    private static final Logger LOG = LoggerFactory.getLogger(IndexBuilds.class);
    static final String PREFIX = "indexwatch/";
    static final int MAX_PER_NODE = 2;

    /** A build that should exist: a flushed segment without this index. */
    record Wanted(SegmentMeta segment, IndexMeta index) {
        String key() {
            return buildKey(segment.getId(), index.getIndexId());
        }
    }

    private final MetaKv kv;
    private final LongSupplier buildIds;
    /** segmentID/indexID -> the build assigned now (mirrors the indexwatch keys). */
    private final Map<String, IndexBuildTask> assigned = new HashMap<>();
    private final Set<Long> liveNodes = new LinkedHashSet<>();

    IndexBuilds(MetaKv kv, LongSupplier buildIds) {
        this.kv = kv;
        this.buildIds = buildIds;
    }

    static String buildKey(long segmentId, long indexId) {
        return segmentId + "/" + indexId;
    }

    static String watchKey(IndexBuildTask task) {
        return PREFIX + task.getNodeId() + "/" + task.getBuildId();
    }

    /** Reads the assignments in the meta store (datacoord restarts). */
    void load() {
        assigned.clear();
        for (KvEntry e : kv.scanPrefix(PREFIX)) {
            IndexBuildTask t = parse(e.value());
            assigned.put(buildKey(t.getSegment().getId(), t.getIndex().getIndexId()), t);
        }
    }

    /** The index nodes whose sessions are alive (the discovery's complete view, or standalone's one node). */
    void nodesChanged(Set<Long> live) {
        liveNodes.clear();
        liveNodes.addAll(live);
    }

    Optional<IndexBuildTask> current(long segmentId, long indexId) {
        return Optional.ofNullable(assigned.get(buildKey(segmentId, indexId)));
    }

    /** The build's result is saved; returns the key to delete in the same transaction. */
    String finished(IndexBuildTask task) {
        assigned.remove(buildKey(task.getSegment().getId(), task.getIndex().getIndexId()));
        return watchKey(task);
    }

    /**
     * Brings the assignments in line with {@code wanted} (in the order builds should start): builds
     * no longer wanted are withdrawn, builds of nodes that are gone are taken back (only while some
     * node is alive to take them), and wanted builds go to the least loaded live nodes with room.
     */
    void reconcile(List<Wanted> wanted) {
        Map<String, Wanted> byKey = new LinkedHashMap<>();
        wanted.forEach(w -> byKey.put(w.key(), w));
        List<String> withdrawn = new ArrayList<>();
        for (Map.Entry<String, IndexBuildTask> e : List.copyOf(assigned.entrySet())) {
            IndexBuildTask t = e.getValue();
            boolean orphan = !liveNodes.isEmpty() && !liveNodes.contains(t.getNodeId());
            if (!byKey.containsKey(e.getKey()) || orphan) {
                kv.delete(watchKey(t));
                assigned.remove(e.getKey());
                withdrawn.add(t.getBuildId() + (orphan ? " of lost index node " + t.getNodeId() : ""));
            }
        }
        if (!withdrawn.isEmpty()) {
            LOG.info("withdrew index builds {}", withdrawn);
        }
        Map<Long, Integer> load = new LinkedHashMap<>();
        liveNodes.forEach(n -> load.put(n, 0));
        assigned.values().forEach(t -> load.computeIfPresent(t.getNodeId(), (n, c) -> c + 1));
        for (Wanted w : byKey.values()) {
            if (assigned.containsKey(w.key())) {
                continue;
            }
            Optional<Long> node = load.entrySet().stream().filter(e -> e.getValue() < MAX_PER_NODE)
                    .min(Map.Entry.comparingByValue()).map(Map.Entry::getKey);
            if (node.isEmpty()) {
                return;
            }
            IndexBuildTask t = IndexBuildTask.newBuilder().setBuildId(buildIds.getAsLong()).setNodeId(node.get())
                    .setSegment(w.segment()).setIndex(w.index()).build();
            kv.put(watchKey(t), t.toByteArray());
            assigned.put(w.key(), t);
            load.merge(node.get(), 1, Integer::sum);
        }
    }

    static IndexBuildTask parse(byte[] value) {
        try {
            return IndexBuildTask.parseFrom(value);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt index build task", e);
        }
    }
}
