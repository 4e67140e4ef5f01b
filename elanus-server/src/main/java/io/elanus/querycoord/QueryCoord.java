package io.elanus.querycoord;

import com.google.protobuf.InvalidProtocolBufferException;
import io.elanus.common.RoleComponent;
import io.elanus.common.MilvusError;
import io.elanus.common.MilvusException;
import io.elanus.datacoord.DataCoordClient;
import io.elanus.datacoord.SegmentListener;
import io.elanus.datacoord.WalReaders;
import io.elanus.msgstream.DmlChannels;
import io.elanus.proto.CollectionInfo;
import io.elanus.proto.IndexMeta;
import io.elanus.proto.LoadMeta;
import io.elanus.proto.SegmentIndexMeta;
import io.milvus.grpc.IndexState;
import io.elanus.proto.PartitionInfo;
import io.elanus.proto.SegmentMeta;
import io.elanus.proto.SegmentStateInternal;
import io.elanus.querynode.QueryNodeClient;
import io.elanus.rootcoord.CollectionListener;
import io.elanus.rootcoord.RootCoordClient;
import io.elanus.storage.kv.KvEntry;
import io.elanus.storage.kv.MetaKv;
import io.milvus.grpc.StateCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Querycoord: loads and releases collections and partitions, places each vchannel (with the
 * sealed segments flushed from it) on a query node, hands freshly flushed segments over to the
 * serving node, and restores the loaded state after a restart. Load state is persisted under
 * {@code querycoord/load/{collectionId}}. Mutations are synchronized.
 */
public final class QueryCoord extends RoleComponent implements QueryCoordClient, CollectionListener, SegmentListener, WalReaders {
    private static final Logger LOG = LoggerFactory.getLogger(QueryCoord.class);
    static final String LOAD_PREFIX = "querycoord/load/";

    private final MetaKv kv;
    private final RootCoordClient rootCoord;
    private final DataCoordClient dataCoord;
    private final List<QueryNodeClient> queryNodes = new ArrayList<>();
    private final Map<Long, LoadMeta> loads = new ConcurrentHashMap<>();
    /** vchannel -> node serving it. */
    private final Map<String, QueryNodeClient> placement = new ConcurrentHashMap<>();
    /** collection -> the timestamp its load was asked at; loaded once every channel's tsafe passes it. */
    private final Map<Long, Long> loadTs = new ConcurrentHashMap<>();

    public QueryCoord(long serverId, MetaKv kv, RootCoordClient rootCoord, DataCoordClient dataCoord) {
        super(kv, serverId);
        this.kv = kv;
        this.rootCoord = rootCoord;
        this.dataCoord = dataCoord;
    }

    public synchronized void registerQueryNode(QueryNodeClient node) {
        queryNodes.add(node);
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

    @Override
    public void start() {
        // Recover: collections loaded before the restart are served again.
        for (LoadMeta m : List.copyOf(loads.values())) {
            rootCoord.collectionById(m.getCollectionId()).ifPresentOrElse(this::placeChannels,
                    () -> kv.delete(LOAD_PREFIX + m.getCollectionId()));
        }
        state(StateCode.Healthy);
    }


    @Override
    public void stop() {
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
        if (queryNodes.isEmpty()) {
            throw new IllegalStateException("no query node registered");
        }
        loadTs.put(c.getId(), rootCoord.allocTimestamp());
        int i = 0;
        for (String v : c.getVchannelsList()) {
            QueryNodeClient node = queryNodes.get(i++ % queryNodes.size());
            // Checkpoint before the segment list: a segment flushed in between is then either in the
            // list (its WAL inserts are skipped) or still after the checkpoint (consumed as growing).
            long from = dataCoord.channelCheckpoint(v).getOffset();
            List<SegmentMeta> flushed = dataCoord.segments(c.getId()).stream()
                    .filter(s -> s.getState() == SegmentStateInternal.FLUSHED).toList();
            node.watchChannel(c, v, from, flushed);
            placement.put(v, node);
        }
        for (SegmentIndexMeta si : dataCoord.segmentIndexes(c.getId())) {
            onSegmentIndexBuilt(si);
        }
        LOG.info("collection {} placed on query nodes", c.getId());
    }

    @Override
    public synchronized void releaseCollection(long collectionId) {
        LoadMeta m = loads.remove(collectionId);
        kv.delete(LOAD_PREFIX + collectionId);
        loadTs.remove(collectionId);
        if (m != null) {
            rootCoord.collectionById(collectionId).ifPresent(c -> c.getVchannelsList().forEach(placement::remove));
            queryNodes.forEach(n -> n.releaseCollection(collectionId));
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
                n.onSegmentFlushed(segment);
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
            try {
                node.loadIndex(segment.getCollectionId(), segment.getId(), index.getFieldId(), si.getFiles(0));
            } catch (RuntimeException e) {
                // The segment stays searchable exactly; a corrupt or missing index file is never served.
                LOG.error("loading index of segment {} failed", segment.getId(), e);
            }
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
