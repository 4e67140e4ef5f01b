package io.elanus.querycoord;

import io.elanus.api.QueryCoordClient;

import com.google.protobuf.InvalidProtocolBufferException;
import io.elanus.session.RoleComponent;
import io.elanus.common.MilvusError;
import io.elanus.common.MilvusException;
import io.elanus.api.DataCoordClient;
import io.elanus.api.SegmentListener;
import io.elanus.api.WalReaders;
import io.elanus.msgstream.DmlChannels;
import io.elanus.proto.CollectionInfo;
import io.elanus.proto.IndexMeta;
import io.elanus.proto.LoadMeta;
import io.elanus.proto.SegmentIndexMeta;
import io.milvus.grpc.IndexState;
import io.elanus.proto.PartitionInfo;
import io.elanus.proto.SegmentMeta;
import io.elanus.proto.SegmentStateInternal;
import io.elanus.api.QueryNodeClient;
import io.elanus.api.CollectionListener;
import io.elanus.api.RootCoordClient;
import io.elanus.storage.kv.KvEntry;
import io.elanus.storage.kv.MetaKv;
import io.milvus.grpc.StateCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Querycoord: loads and releases collections and partitions, places each vchannel (with the
 * sealed segments flushed from it) on a query node, hands freshly flushed segments over to the
 * serving node, and restores the loaded state after a restart. Load state is persisted under
 * {@code querycoord/load/{collectionId}}. Mutations are synchronized.
 */
public final class QueryCoord extends RoleComponent implements QueryCoordClient, CollectionListener, SegmentListener, WalReaders {
    private static final Logger LOG = LoggerFactory.getLogger(QueryCoord.class);
    static final String LOAD_PREFIX = "querycoord/load/";
    /** How long a joining node may take to catch up with a channel before it takes the channel's searches anyway. */
    private static final Duration MOVE_CATCH_UP = Duration.ofSeconds(30);

    private final MetaKv kv;
    private final RootCoordClient rootCoord;
    private final DataCoordClient dataCoord;
    private final List<QueryNodeClient> queryNodes = new ArrayList<>();
    private final Map<Long, LoadMeta> loads = new ConcurrentHashMap<>();
    /** vchannel -> node serving it. */
    private final Map<String, QueryNodeClient> placement = new ConcurrentHashMap<>();
    /** Vchannels of loaded collections whose node died while no other was alive. */
    private final Set<String> unplaced = new LinkedHashSet<>();
    /** collection -> the timestamp its load was asked at; loaded once every channel's tsafe passes it. */
    private final Map<Long, Long> loadTs = new ConcurrentHashMap<>();
    /** vchannel -> WAL offset a node being placed will read from: the WAL must keep it meanwhile. */
    private final Map<String, Long> placing = new ConcurrentHashMap<>();
    private Thread recovery;
    private boolean stopping;

    public QueryCoord(long serverId, MetaKv kv, RootCoordClient rootCoord, DataCoordClient dataCoord) {
        super(kv, serverId);
        this.kv = kv;
        this.rootCoord = rootCoord;
        this.dataCoord = dataCoord;
    }

    /**
     * A query node joined: channels left without one (their node died when no other was alive) go
     * to it, then channels move to it from the busiest node until the load is even.
     */
    public synchronized void registerQueryNode(QueryNodeClient node) {
        queryNodes.removeIf(n -> n.nodeId() == node.nodeId());
        queryNodes.add(node);
        if (!unplaced.isEmpty()) {
            placeOrphans(List.copyOf(unplaced));
        }
        rebalanceOnto(node);
    }

    private void rebalanceOnto(QueryNodeClient newcomer) {
        while (true) {
            Map<Long, List<String>> served = new HashMap<>();
            queryNodes.forEach(n -> served.put(n.nodeId(), new ArrayList<>()));
            placement.forEach((v, n) -> served.computeIfAbsent(n.nodeId(), k -> new ArrayList<>()).add(v));
            List<String> busiest = served.values().stream().max(Comparator.comparingInt(List::size)).orElseThrow();
            if (busiest.size() - served.get(newcomer.nodeId()).size() < 2) {
                return;
            }
            String vchannel = busiest.getFirst();
            CollectionInfo c = loadedCollectionOf(vchannel);
            if (c == null || !moveChannel(c, vchannel, placement.get(vchannel), newcomer)) {
                return;
            }
        }
    }

    /**
     * Moves a vchannel: the new node loads it and catches up with the old one's tsafe (bounded), then
     * takes the searches, then the old node lets go. Returns false if the new node could not take it.
     */
    private boolean moveChannel(CollectionInfo c, String vchannel, QueryNodeClient from, QueryNodeClient to) {
        try {
            long from0 = dataCoord.channelCheckpoint(vchannel).getOffset();
            List<SegmentMeta> flushed = dataCoord.segments(c.getId()).stream()
                    .filter(s -> s.getState() == SegmentStateInternal.FLUSHED).toList();
            to.watchChannel(c, vchannel, from0, flushed);
            loadIndexes(c, vchannel, to);
            long target = from.tsafe(vchannel);
            long deadline = System.nanoTime() + MOVE_CATCH_UP.toNanos();
            while (to.tsafe(vchannel) < target && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        } catch (RuntimeException e) {
            LOG.warn("moving vchannel {} to query node {} failed: {}", vchannel, to.nodeId(), e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        placement.put(vchannel, to);
        try {
            from.releaseChannel(vchannel);
        } catch (RuntimeException e) {
            LOG.warn("query node {} did not release moved vchannel {}: {}", from.nodeId(), vchannel, e.toString());
        }
        LOG.info("vchannel {} moved from query node {} to joining query node {}", vchannel, from.nodeId(), to.nodeId());
        return true;
    }

    private CollectionInfo loadedCollectionOf(String vchannel) {
        for (LoadMeta m : loads.values()) {
            CollectionInfo c = rootCoord.collectionById(m.getCollectionId()).orElse(null);
            if (c != null && c.getVchannelsList().contains(vchannel)) {
                return c;
            }
        }
        return null;
    }

    @Override
    public String roleName() {
        return "querycoord";
    }

    @Override
    public void init() throws InvalidProtocolBufferException {
        state(StateCode.Initializing);
        for (KvEntry e : kv.scanPrefix(LOAD_PREFIX)) {
            LoadMeta m = LoadMeta.parseFrom(e.value());
            loads.put(m.getCollectionId(), m);
        }
    }

    /**
     * Collections loaded before the restart are served again, but loading their sealed segments and
     * indexes is proportional to their data: like Milvus, that runs in the background after start, the
     * collections report Loading meanwhile and reads of them get "collection not fully loaded".
     */
    @Override
    public synchronized void start() {
        List<CollectionInfo> toRecover = new ArrayList<>();
        for (LoadMeta m : List.copyOf(loads.values())) {
            rootCoord.collectionById(m.getCollectionId()).ifPresentOrElse(c -> {
                loadTs.put(c.getId(), rootCoord.allocTimestamp());
                toRecover.add(c);
            }, () -> {
                loads.remove(m.getCollectionId());
                kv.delete(LOAD_PREFIX + m.getCollectionId());
            });
        }
        if (!toRecover.isEmpty()) {
            recovery = Thread.ofPlatform().daemon().name("querycoord-recovery").start(() -> recover(toRecover));
        }
        state(StateCode.Healthy);
    }

    /** Places the channels of recovered collections one at a time, each under the lock, until stopped. */
    private void recover(List<CollectionInfo> collections) {
        long started = System.nanoTime();
        for (CollectionInfo c : collections) {
            for (String v : c.getVchannelsList()) {
                synchronized (this) {
                    if (stopping || !loads.containsKey(c.getId()) || placement.containsKey(v)) {
                        continue;
                    }
                    if (queryNodes.isEmpty()) {
                        unplaced.add(v);
                        continue;
                    }
                    try {
                        placeChannel(c, v, leastLoadedNode());
                    } catch (RuntimeException e) {
                        // Stays Loading; a query node that joins later tries again.
                        unplaced.add(v);
                        LOG.error("recovering vchannel {} of collection {} failed", v, c.getId(), e);
                    }
                }
            }
        }
        LOG.info("loaded collections recovered in {} ms", (System.nanoTime() - started) / 1_000_000);
    }

    @Override
    public void stop() {
        synchronized (this) {
            stopping = true;
        }
        if (recovery != null) {
            try {
                recovery.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        unregister();
    }


    @Override
    public synchronized void load(long collectionId, List<Long> partitionIds, int replicas) {
        CollectionInfo c = rootCoord.collectionById(collectionId)
                .orElseThrow(() -> MilvusException.withKey(MilvusError.COLLECTION_NOT_FOUND, "collection", collectionId));
        LoadMeta existing = loads.get(collectionId);
        Set<Long> parts = new LinkedHashSet<>();
        boolean whole = partitionIds.isEmpty();
        if (existing != null) {
            whole |= existing.getWholeCollection();
            parts.addAll(existing.getPartitionIdsList());
        }
        if (whole) {
            parts.clear();
            c.getPartitionsList().forEach(p -> parts.add(p.getId()));
        } else {
            parts.addAll(partitionIds);
        }
        LoadMeta m = LoadMeta.newBuilder().setCollectionId(collectionId).setWholeCollection(whole)
                .addAllPartitionIds(parts).setReplicaNumber(Math.max(1, replicas))
                .setLoadedTs(rootCoord.allocTimestamp()).build();
        kv.put(LOAD_PREFIX + collectionId, m.toByteArray());
        loads.put(collectionId, m);
        if (existing == null) {
            placeChannels(c);
        }
    }

    private void placeChannels(CollectionInfo c) {
        loadTs.put(c.getId(), rootCoord.allocTimestamp());
        if (queryNodes.isEmpty()) {
            LOG.warn("no query node is registered; collection {} loads when one joins", c.getId());
            unplaced.addAll(c.getVchannelsList());
            return;
        }
        for (String v : c.getVchannelsList()) {
            placeChannel(c, v, leastLoadedNode());
        }
        LOG.info("collection {} placed on query nodes", c.getId());
    }

    /** Makes {@code node} the delegator of the vchannel: sealed segments from storage, the rest from the WAL, then indexes. */
    private void placeChannel(CollectionInfo c, String vchannel, QueryNodeClient node) {
        // Checkpoint before the segment list: a segment flushed in between is then either in the
        // list (its WAL inserts are skipped) or still after the checkpoint (consumed as growing).
        long from = dataCoord.channelCheckpoint(vchannel).getOffset();
        placing.put(vchannel, from);
        try {
            List<SegmentMeta> flushed = dataCoord.segments(c.getId()).stream()
                    .filter(s -> s.getState() == SegmentStateInternal.FLUSHED).toList();
            node.watchChannel(c, vchannel, from, flushed);
            placement.put(vchannel, node);
            loadIndexes(c, vchannel, node);
        } finally {
            placing.remove(vchannel);
        }
    }

    /** The node serving a vchannel searches its sealed segments through the indexes built so far. */
    private void loadIndexes(CollectionInfo c, String vchannel, QueryNodeClient node) {
        Map<Long, IndexMeta> byId = new HashMap<>();
        dataCoord.indexes(c.getId()).forEach(i -> byId.put(i.getIndexId(), i));
        for (SegmentIndexMeta si : dataCoord.segmentIndexes(c.getId())) {
            SegmentMeta segment = dataCoord.segment(si.getSegmentId()).orElse(null);
            IndexMeta index = byId.get(si.getIndexId());
            if (segment != null && index != null && segment.getVchannel().equals(vchannel)
                    && si.getState() == IndexState.Finished && si.getFilesCount() > 0) {
                loadIndexQuietly(node, segment, index.getFieldId(), si.getFiles(0));
            }
        }
    }

    private QueryNodeClient leastLoadedNode() {
        Map<Long, Integer> load = new HashMap<>();
        placement.values().forEach(n -> load.merge(n.nodeId(), 1, Integer::sum));
        return queryNodes.stream().min(Comparator.comparingInt(n -> load.getOrDefault(n.nodeId(), 0))).orElseThrow();
    }

    /**
     * A query node's session is gone: each vchannel it served is placed on the least loaded live
     * node, which loads the channel's sealed segments and replays the WAL from the checkpoint, so
     * searches are served again once that is done.
     */
    public synchronized void removeQueryNode(long nodeId) {
        queryNodes.removeIf(n -> n.nodeId() == nodeId);
        List<String> orphaned = placement.entrySet().stream().filter(e -> e.getValue().nodeId() == nodeId)
                .map(Map.Entry::getKey).toList();
        orphaned.forEach(placement::remove);
        if (orphaned.isEmpty()) {
            return;
        }
        if (queryNodes.isEmpty()) {
            LOG.error("query node {} is gone and no other is left; channels {} wait for a new one", nodeId, orphaned);
            unplaced.addAll(orphaned);
            return;
        }
        placeOrphans(orphaned);
    }

    private void placeOrphans(List<String> vchannels) {
        for (LoadMeta m : loads.values()) {
            CollectionInfo c = rootCoord.collectionById(m.getCollectionId()).orElse(null);
            if (c == null) {
                continue;
            }
            for (String v : c.getVchannelsList()) {
                if (vchannels.contains(v)) {
                    QueryNodeClient node = leastLoadedNode();
                    try {
                        placeChannel(c, v, node);
                        unplaced.remove(v);
                        LOG.info("vchannel {} moved to query node {}", v, node.nodeId());
                    } catch (RuntimeException e) {
                        unplaced.add(v);
                        LOG.error("placing vchannel {} on query node {} failed", v, node.nodeId(), e);
                    }
                }
            }
        }
    }

    @Override
    public synchronized void releaseCollection(long collectionId) {
        LoadMeta m = loads.remove(collectionId);
        kv.delete(LOAD_PREFIX + collectionId);
        loadTs.remove(collectionId);
        if (m != null) {
            rootCoord.collectionById(collectionId).ifPresent(c -> c.getVchannelsList().forEach(v -> {
                placement.remove(v);
                unplaced.remove(v);
            }));
            for (QueryNodeClient n : queryNodes) {
                try {
                    n.releaseCollection(collectionId);
                } catch (RuntimeException e) {
                    LOG.warn("query node {} did not release collection {}: {}", n.nodeId(), collectionId, e.toString());
                }
            }
        }
    }

    @Override
    public synchronized void releasePartitions(long collectionId, List<Long> partitionIds) {
        LoadMeta m = loads.get(collectionId);
        if (m == null) {
            return;
        }
        List<Long> left = new ArrayList<>(m.getPartitionIdsList());
        left.removeAll(partitionIds);
        if (left.isEmpty()) {
            releaseCollection(collectionId);
            return;
        }
        LoadMeta updated = m.toBuilder().setWholeCollection(false).clearPartitionIds().addAllPartitionIds(left).build();
        kv.put(LOAD_PREFIX + collectionId, updated.toByteArray());
        loads.put(collectionId, updated);
    }

    @Override
    public int loadingProgress(long collectionId, List<Long> partitionIds) {
        LoadMeta m = loads.get(collectionId);
        if (m == null || (!partitionIds.isEmpty() && !m.getPartitionIdsList().containsAll(partitionIds))) {
            return -1;
        }
        Long since = loadTs.get(collectionId);
        CollectionInfo c = rootCoord.collectionById(collectionId).orElse(null);
        if (c == null || since == null) {
            return -1;
        }
        int ready = 0;
        for (String v : c.getVchannelsList()) {
            QueryNodeClient n = placement.get(v);
            if (n != null && n.tsafe(v) >= since) {
                ready++;
            }
        }
        return c.getVchannelsCount() == 0 ? 100 : ready * 100 / c.getVchannelsCount();
    }

    @Override
    public List<Long> loadedPartitions(long collectionId) {
        LoadMeta m = loads.get(collectionId);
        return m == null ? List.of() : m.getPartitionIdsList();
    }

    @Override
    public Map<String, QueryNodeClient> shardLeaders(long collectionId) {
        CollectionInfo c = rootCoord.collectionById(collectionId).orElse(null);
        Map<String, QueryNodeClient> out = new HashMap<>();
        if (c != null && loads.containsKey(collectionId)) {
            for (String v : c.getVchannelsList()) {
                QueryNodeClient n = placement.get(v);
                if (n != null) {
                    out.put(v, n);
                }
            }
        }
        return out;
    }

    @Override
    public long minReaderOffset(String pchannel) {
        long min = Long.MAX_VALUE;
        for (Map.Entry<String, Long> e : placing.entrySet()) {
            if (DmlChannels.pchannelOf(e.getKey()).equals(pchannel)) {
                min = Math.min(min, e.getValue());
            }
        }
        for (Map.Entry<String, QueryNodeClient> e : placement.entrySet()) {
            if (DmlChannels.pchannelOf(e.getKey()).equals(pchannel)) {
                long pos = e.getValue().walPosition(e.getKey());
                if (pos >= 0) {
                    min = Math.min(min, pos);
                }
            }
        }
        return min;
    }

    // ------------------------------------------------------------------ listeners

    @Override
    public void onSegmentFlushed(SegmentMeta segment) {
        if (loads.containsKey(segment.getCollectionId())) {
            QueryNodeClient n = placement.get(segment.getVchannel());
            if (n != null) {
                try {
                    n.onSegmentFlushed(segment);
                } catch (RuntimeException e) {
                    // A dead node's channel is placed again from the persisted segment list.
                    LOG.warn("query node {} did not take flushed segment {}: {}", n.nodeId(), segment.getId(), e.toString());
                }
            }
        }
    }

    @Override
    public void onSegmentIndexBuilt(SegmentIndexMeta si) {
        if (si.getState() != IndexState.Finished || si.getFilesCount() == 0) {
            return;
        }
        SegmentMeta segment = dataCoord.segment(si.getSegmentId()).orElse(null);
        if (segment == null || !loads.containsKey(segment.getCollectionId())) {
            return;
        }
        QueryNodeClient node = placement.get(segment.getVchannel());
        IndexMeta index = dataCoord.indexes(segment.getCollectionId()).stream()
                .filter(i -> i.getIndexId() == si.getIndexId()).findFirst().orElse(null);
        if (node != null && index != null) {
            loadIndexQuietly(node, segment, index.getFieldId(), si.getFiles(0));
        }
    }

    private static void loadIndexQuietly(QueryNodeClient node, SegmentMeta segment, long fieldId, String file) {
        try {
            node.loadIndex(segment.getCollectionId(), segment.getId(), fieldId, file);
        } catch (RuntimeException e) {
            // The segment stays searchable exactly; a corrupt or missing index file is never served.
            LOG.error("loading index of segment {} failed", segment.getId(), e);
        }
    }

    @Override
    public void onCollectionCreated(CollectionInfo collection) {
    }

    @Override
    public void onCollectionDropped(CollectionInfo collection) {
        releaseCollection(collection.getId());
    }

    @Override
    public synchronized void onPartitionDropped(CollectionInfo collection, long partitionId) {
        releasePartitions(collection.getId(), List.of(partitionId));
    }

    /** Partitions of a collection added after it was loaded whole are loaded too (Milvus behaviour). */
    @Override
    public synchronized void onPartitionCreated(CollectionInfo collection, PartitionInfo partition) {
        LoadMeta m = loads.get(collection.getId());
        if (m != null && m.getWholeCollection()) {
            LoadMeta updated = m.toBuilder().addPartitionIds(partition.getId()).build();
            kv.put(LOAD_PREFIX + collection.getId(), updated.toByteArray());
            loads.put(collection.getId(), updated);
        }
    }
}
