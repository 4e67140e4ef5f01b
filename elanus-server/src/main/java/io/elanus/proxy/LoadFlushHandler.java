package io.elanus.proxy;

import io.elanus.common.MilvusError;
import io.elanus.common.MilvusException;
import io.elanus.api.DataCoordClient;
import io.elanus.proto.CollectionInfo;
import io.elanus.proto.DatabaseInfo;
import io.elanus.proto.PartitionInfo;
import io.elanus.proto.SegmentMeta;
import io.elanus.proto.SegmentStateInternal;
import io.elanus.api.QueryCoordClient;
import io.elanus.api.QueryNodeClient;
import io.elanus.api.RootCoordClient;
import io.milvus.grpc.FlushResponse;
import io.milvus.grpc.LoadState;
import io.milvus.grpc.LongArray;
import io.milvus.grpc.PersistentSegmentInfo;
import io.milvus.grpc.QuerySegmentInfo;
import io.milvus.grpc.ReplicaInfo;
import io.milvus.grpc.ShardReplica;
import io.milvus.grpc.SegmentLevel;
import io.milvus.grpc.SegmentState;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Load/release and their progress, flush and its state, and the segment listings. */
final class LoadFlushHandler {
    private static final long FLUSH_ALL_TIMEOUT_MS = 120_000;
    /** Milvus's name for the resource group every node belongs to by default. */
    private static final String DEFAULT_RESOURCE_GROUP = "__default_resource_group";

    private final RootCoordClient rootCoord;
    private final DataCoordClient dataCoord;
    private final QueryCoordClient queryCoord;
    private final IndexHandler indexes;
    private final MetaExpiry expiry;

    LoadFlushHandler(RootCoordClient rootCoord, DataCoordClient dataCoord, QueryCoordClient queryCoord, IndexHandler indexes,
                     MetaExpiry expiry) {
        this.rootCoord = rootCoord;
        this.dataCoord = dataCoord;
        this.queryCoord = queryCoord;
        this.indexes = indexes;
        this.expiry = expiry;
    }

    /** Load and release change what the proxies' caches hold of the collection: loaded partitions, shard leaders. */
    void load(String db, String collection, List<String> partitions, int replicas) {
        CollectionInfo c = rootCoord.describeCollection(db, collection);
        try {
            if (replicas > 1) {
                throw MilvusException.invalidParameter("replica number " + replicas + " exceeds the number of query nodes (1) of a standalone server");
            }
            indexes.checkLoadable(c);
            queryCoord.load(c.getId(), partitionIds(c, partitions), replicas);
        } finally {
            expiry.collection(db, collection, c.getId());
        }
    }

    void releaseCollection(String db, String collection) {
        CollectionInfo c = rootCoord.describeCollection(db, collection);
        try {
            queryCoord.releaseCollection(c.getId());
        } finally {
            expiry.collection(db, collection, c.getId());
        }
    }

    void releasePartitions(String db, String collection, List<String> partitions) {
        CollectionInfo c = rootCoord.describeCollection(db, collection);
        try {
            queryCoord.releasePartitions(c.getId(), partitionIds(c, partitions));
        } finally {
            expiry.collection(db, collection, c.getId());
        }
    }

    LoadState loadState(String db, String collection, List<String> partitions) {
        CollectionInfo c = rootCoord.describeCollection(db, collection);
        int progress = queryCoord.loadingProgress(c.getId(), partitionIds(c, partitions));
        if (progress < 0) {
            return LoadState.LoadStateNotLoad;
        }
        return progress >= 100 ? LoadState.LoadStateLoaded : LoadState.LoadStateLoading;
    }

    int loadingProgress(String db, String collection, List<String> partitions) {
        CollectionInfo c = rootCoord.describeCollection(db, collection);
        int progress = queryCoord.loadingProgress(c.getId(), partitionIds(c, partitions));
        if (progress < 0) {
            throw new MilvusException(MilvusError.COLLECTION_NOT_LOADED, "collection not loaded[collection=" + collection + "]");
        }
        return progress;
    }

    private static List<Long> partitionIds(CollectionInfo c, List<String> names) {
        List<Long> ids = new ArrayList<>();
        for (String n : names) {
            PartitionInfo p = DdlHandler.partition(c, n);
            ids.add(p.getId());
        }
        return ids;
    }

    FlushResponse flush(String db, List<String> collections) {
        FlushResponse.Builder b = FlushResponse.newBuilder().setDbName(db);
        for (String name : collections) {
            CollectionInfo c = rootCoord.describeCollection(db, name);
            DataCoordClient.FlushResult r = dataCoord.flush(c.getId());
            LongArray ids = LongArray.newBuilder().addAllData(r.segmentIds()).build();
            b.putCollSegIDs(name, ids).putFlushCollSegIDs(name, ids)
                    .putCollSealTimes(name, io.elanus.common.Tso.physicalMillis(r.flushTs()) / 1000)
                    .putCollFlushTs(name, r.flushTs());
        }
        return b.build();
    }

    boolean flushState(String db, String collection, List<Long> segmentIds, long flushTs) {
        long collectionId = collection.isEmpty()
                ? segmentIds.stream().map(dataCoord::segment).flatMap(java.util.Optional::stream)
                .map(SegmentMeta::getCollectionId).findFirst().orElse(-1L)
                : rootCoord.describeCollection(db, collection).getId();
        return dataCoord.flushed(collectionId, segmentIds, flushTs);
    }

    /** FlushAll: flushes every collection of every database and waits until all of it is persisted. */
    void flushAll() {
        List<Runnable> waits = new ArrayList<>();
        for (DatabaseInfo db : rootCoord.listDatabases()) {
            for (CollectionInfo c : rootCoord.listCollections(db.getName())) {
                DataCoordClient.FlushResult r = dataCoord.flush(c.getId());
                waits.add(() -> awaitFlushed(c.getId(), r));
            }
        }
        waits.forEach(Runnable::run);
    }

    private void awaitFlushed(long collectionId, DataCoordClient.FlushResult r) {
        long deadline = System.currentTimeMillis() + FLUSH_ALL_TIMEOUT_MS;
        while (!dataCoord.flushed(collectionId, r.segmentIds(), r.flushTs())) {
            if (System.currentTimeMillis() > deadline) {
                throw new MilvusException(MilvusError.TIMEOUT, "flush all timed out");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MilvusException(MilvusError.TIMEOUT, "interrupted");
            }
        }
    }

    List<PersistentSegmentInfo> persistentSegments(String db, String collection) {
        CollectionInfo c = rootCoord.describeCollection(db, collection);
        List<PersistentSegmentInfo> out = new ArrayList<>();
        for (SegmentMeta s : dataCoord.segments(c.getId())) {
            if (s.getLevel() == 0) {
                continue;
            }
            long rows = s.getState() == SegmentStateInternal.FLUSHED ? s.getNumRows() : dataCoord.bufferedRows(s.getId());
            out.add(PersistentSegmentInfo.newBuilder().setSegmentID(s.getId()).setCollectionID(c.getId())
                    .setPartitionID(s.getPartitionId()).setNumRows(rows).setState(state(s.getState()))
                    .setLevel(SegmentLevel.L1).build());
        }
        return out;
    }

    List<QuerySegmentInfo> querySegments(String db, String collection) {
        CollectionInfo c = rootCoord.describeCollection(db, collection);
        List<QuerySegmentInfo> out = new ArrayList<>();
        for (Map.Entry<String, QueryNodeClient> shard : queryCoord.shardLeaders(c.getId()).entrySet()) {
            for (Map.Entry<Long, Long> seg : shard.getValue().loadedSegments(c.getId()).entrySet()) {
                SegmentMeta meta = dataCoord.segment(seg.getKey()).orElse(null);
                if (out.stream().anyMatch(q -> q.getSegmentID() == seg.getKey())) {
                    continue;
                }
                out.add(QuerySegmentInfo.newBuilder().setSegmentID(seg.getKey()).setCollectionID(c.getId())
                        .setPartitionID(meta == null ? 0 : meta.getPartitionId()).setNumRows(seg.getValue())
                        .setNodeID(shard.getValue().nodeId()).addNodeIds(shard.getValue().nodeId())
                        .setState(meta == null ? SegmentState.Growing : state(meta.getState())).setLevel(SegmentLevel.L1).build());
            }
        }
        return out;
    }

    /** The one in-memory replica of a loaded collection: a shard leader (query node) per vchannel. */
    List<ReplicaInfo> replicas(String db, String collection, long collectionId) {
        CollectionInfo c = collection.isEmpty()
                ? rootCoord.collectionById(collectionId).orElseThrow(() -> MilvusException.withKey(MilvusError.COLLECTION_NOT_FOUND, "collection", collectionId))
                : rootCoord.describeCollection(db, collection);
        Map<String, QueryNodeClient> leaders = queryCoord.shardLeaders(c.getId());
        if (leaders.isEmpty()) {
            return List.of();
        }
        ReplicaInfo.Builder replica = ReplicaInfo.newBuilder().setReplicaID(1).setCollectionID(c.getId())
                .addAllPartitionIds(queryCoord.loadedPartitions(c.getId())).setResourceGroupName(DEFAULT_RESOURCE_GROUP);
        java.util.Set<Long> nodes = new java.util.TreeSet<>();
        for (String v : c.getVchannelsList()) {
            QueryNodeClient leader = leaders.get(v);
            if (leader != null) {
                nodes.add(leader.nodeId());
                replica.addShardReplicas(ShardReplica.newBuilder().setLeaderID(leader.nodeId()).setLeaderAddr("in-process")
                        .setDmChannelName(v).addNodeIds(leader.nodeId()));
            }
        }
        return List.of(replica.addAllNodeIds(nodes).build());
    }

    private static SegmentState state(SegmentStateInternal s) {
        return switch (s) {
            case GROWING -> SegmentState.Growing;
            case SEALED -> SegmentState.Sealed;
            case FLUSHING -> SegmentState.Flushing;
            case FLUSHED -> SegmentState.Flushed;
            case DROPPED -> SegmentState.Dropped;
            default -> SegmentState.SegmentStateNone;
        };
    }
}
