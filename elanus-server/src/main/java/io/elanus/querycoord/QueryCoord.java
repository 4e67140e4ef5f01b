package io.elanus.querycoord;

import com.google.protobuf.InvalidProtocolBufferException;
import io.elanus.api.CollectionListener;
import io.elanus.api.DataCoordClient;
import io.elanus.api.QueryCoordClient;
import io.elanus.api.QueryNodeClient;
import io.elanus.api.RootCoordClient;
import io.elanus.api.SegmentListener;
import io.elanus.api.WalReaders;
import io.elanus.common.MilvusError;
import io.elanus.common.MilvusException;
import io.elanus.msgstream.DmlChannels;
import io.elanus.proto.CollectionInfo;
import io.elanus.proto.IndexMeta;
import io.elanus.proto.LoadMeta;
import io.elanus.proto.PartitionInfo;
import io.elanus.proto.SegmentIndexMeta;
import io.elanus.proto.SegmentMeta;
import io.elanus.querycoord.ChannelTasks.IndexKey;
import io.elanus.querycoord.ChannelTasks.IndexLoad;
import io.elanus.session.RoleComponent;
import io.elanus.storage.kv.MetaKv;
import io.milvus.grpc.IndexState;
import io.milvus.grpc.StateCode;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Querycoord: loads and releases collections and partitions, places each vchannel (with the
 * sealed segments flushed from it) on a query node, hands freshly flushed segments and built
 * indexes over to the serving node, and loads again after a restart what was loaded.
 * <p>
 * Concurrency: the state belongs to one thread, the {@link ReconcileLoop} running the
 * {@link Reconciler}; remote work (query nodes, datacoord) runs on the {@link ChannelTaskPool}. The
 * methods here hold no lock: reads use the loop's published {@link LoadView}; writes ask rootcoord
 * what they need on the caller's thread, then queue an event for the loop. Load returns once its
 * target is persisted; the query nodes load in the background, and load progress reports how far
 * (Milvus's querycoord v2). Release returns once the target is gone and the nodes let go (Milvus's
 * release job waits for that too). docs/concurrency.md has the waits between coordinators.
 */
public final class QueryCoord extends RoleComponent implements QueryCoordClient, CollectionListener, SegmentListener, WalReaders {
    /** Events queued at most; callers wait beyond that. Far above a cluster's burst (a flush of every segment at once). */
    private static final int EVENT_QUEUE = 1024;
    /** Checkers run at least this often, so failed work is retried after its back-off. */
    private static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);

    private final RootCoordClient rootCoord;
    private final DataCoordClient dataCoord;
    private final LoadTargets store;
    private final WalHolds holds = new WalHolds();
    private final ReconcileLoop loop;
    private final ChannelTaskPool tasks;
    private final Reconciler reconciler;
    private List<LoadMeta> restored = List.of();
    private volatile boolean stopping;

    public QueryCoord(long serverId, MetaKv kv, RootCoordClient rootCoord, DataCoordClient dataCoord) {
        super(kv, serverId);
        this.rootCoord = rootCoord;
        this.dataCoord = dataCoord;
        this.store = new LoadTargets(kv);
        this.loop = new ReconcileLoop("querycoord-loop", EVENT_QUEUE, CHECK_INTERVAL, this::round);
        this.tasks = new ChannelTaskPool(loop::post);
        this.reconciler = new Reconciler(store, new ChannelTasks(dataCoord, holds, () -> stopping), holds, tasks);
    }

    private void round() {
        reconciler.round();
    }

    /** A query node joined (cluster: its session appeared): it takes channels left without a node, and its share by balancing. */
    public void registerQueryNode(QueryNodeClient node) {
        loop.post(() -> reconciler.nodeUp(node));
    }

    /** A query node's session is gone: its channels are placed on the live nodes again. */
    public void removeQueryNode(long nodeId) {
        loop.post(() -> reconciler.nodeDown(nodeId));
    }

    @Override
    public String roleName() {
        return "querycoord";
    }

    @Override
    public void init() throws InvalidProtocolBufferException {
        state(StateCode.Initializing);
        restored = store.readAll();
        reconciler.restore(restored);
    }

    /**
     * Collections loaded before the restart are served again, but loading their sealed segments and
     * indexes is proportional to their data: like Milvus, that runs in the background after start, the
     * collections report Loading meanwhile and reads of them get "collection not fully loaded".
     */
    @Override
    public void start() {
        for (LoadMeta m : restored) {
            CollectionInfo c = rootCoord.collectionById(m.getCollectionId()).orElse(null);
            if (c == null) {
                loop.post(() -> reconciler.forget(m.getCollectionId()));
            } else {
                long ts = rootCoord.allocTimestamp();
                loop.post(() -> reconciler.recovered(c, ts));
            }
        }
        restored = List.of();
        loop.start();
        state(StateCode.Healthy);
    }

    @Override
    public void stop() {
        stopping = true;
        loop.close();
        tasks.close();
        unregister();
    }

    // ------------------------------------------------------------------ QueryCoordClient

    @Override
    public void load(long collectionId, List<Long> partitionIds, int replicas) {
        CollectionInfo c = rootCoord.collectionById(collectionId)
                .orElseThrow(() -> MilvusException.withKey(MilvusError.COLLECTION_NOT_FOUND, "collection", collectionId));
        long ts = rootCoord.allocTimestamp();
        ReconcileLoop.await(loop.<Void>call(done -> reconciler.load(c, partitionIds, replicas, ts, done)));
    }

    @Override
    public void releaseCollection(long collectionId) {
        ReconcileLoop.await(loop.<Void>call(done -> reconciler.releaseCollection(collectionId, done)));
    }

    @Override
    public void releasePartitions(long collectionId, List<Long> partitionIds) {
        ReconcileLoop.await(loop.<Void>call(done -> reconciler.releasePartitions(collectionId, partitionIds, done)));
    }

    /** The share of the collection's channels served by a node whose tsafe passed the load's timestamp. */
    @Override
    public int loadingProgress(long collectionId, List<Long> partitionIds) {
        LoadView view = reconciler.view();
        LoadMeta target = view.targets().get(collectionId);
        if (target == null || !target.getPartitionIdsList().containsAll(partitionIds)) {
            return -1;
        }
        CollectionInfo c = view.collections().get(collectionId);
        Long since = view.loadTs().get(collectionId);
        if (c == null || since == null) {
            return 0; // restored, its collection not read again yet
        }
        if (c.getVchannelsCount() == 0) {
            return 100;
        }
        int ready = 0;
        for (String v : c.getVchannelsList()) {
            QueryNodeClient n = view.serving().get(v);
            if (n != null && caughtUp(n, v, since)) {
                ready++;
            }
        }
        return ready * 100 / c.getVchannelsCount();
    }

    private static boolean caughtUp(QueryNodeClient node, String vchannel, long since) {
        try {
            return node.tsafe(vchannel) >= since;
        } catch (RuntimeException e) {
            return false; // unreachable: its channels are placed again once its session expires
        }
    }

    @Override
    public List<Long> loadedPartitions(long collectionId) {
        return reconciler.view().loadedPartitions(collectionId);
    }

    @Override
    public Map<String, QueryNodeClient> shardLeaders(long collectionId) {
        return reconciler.view().shardLeaders(collectionId);
    }

    @Override
    public long minReaderOffset(String pchannel) {
        long min = holds.min(pchannel);
        for (Map.Entry<String, QueryNodeClient> e : reconciler.view().serving().entrySet()) {
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
        if (reconciler.view().targets().containsKey(segment.getCollectionId())) {
            loop.post(() -> reconciler.segmentFlushed(segment));
        }
    }

    @Override
    public void onSegmentIndexBuilt(SegmentIndexMeta si) {
        if (si.getState() != IndexState.Finished || si.getFilesCount() == 0) {
            return;
        }
        SegmentMeta segment = dataCoord.segment(si.getSegmentId()).orElse(null);
        if (segment == null || !reconciler.view().targets().containsKey(segment.getCollectionId())) {
            return;
        }
        IndexMeta index = dataCoord.indexes(segment.getCollectionId()).stream()
                .filter(i -> i.getIndexId() == si.getIndexId()).findFirst().orElse(null);
        if (index != null) {
            IndexLoad load = new IndexLoad(segment.getVchannel(), segment.getCollectionId(),
                    new IndexKey(segment.getId(), index.getFieldId(), si.getFiles(0)));
            loop.post(() -> reconciler.indexBuilt(load));
        }
    }

    @Override
    public void onCollectionCreated(CollectionInfo collection) {
    }

    /** Returns once the query nodes let go of the collection: datacoord deletes its files after this. */
    @Override
    public void onCollectionDropped(CollectionInfo collection) {
        releaseCollection(collection.getId());
    }

    @Override
    public void onPartitionDropped(CollectionInfo collection, long partitionId) {
        releasePartitions(collection.getId(), List.of(partitionId));
    }

    /** Returns once the new partition is part of the target: rootcoord's create-partition call returns after this (as Milvus's does). */
    @Override
    public void onPartitionCreated(CollectionInfo collection, PartitionInfo partition) {
        ReconcileLoop.await(loop.<Void>call(done -> reconciler.partitionCreated(collection, partition.getId(), done)));
    }
}
