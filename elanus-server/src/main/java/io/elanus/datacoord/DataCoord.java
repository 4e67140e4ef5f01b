package io.elanus.datacoord;

import io.elanus.api.DataCoordClient;
import io.elanus.api.SegmentListener;
import io.elanus.api.WalReaders;

import com.google.protobuf.InvalidProtocolBufferException;
import io.elanus.session.RoleComponent;
import io.elanus.common.Config;
import io.elanus.common.MilvusError;
import io.elanus.common.MilvusException;
import io.elanus.common.NamedThreads;
import io.elanus.common.Params;
import io.elanus.common.Tso;
import io.elanus.api.DataNodeClient;
import io.elanus.msgstream.DmlChannels;
import io.elanus.proto.CollectionInfo;
import io.elanus.proto.IndexMeta;
import io.elanus.proto.SegmentIndexMeta;
import io.elanus.proto.SegmentMeta;
import io.elanus.proto.SegmentStateInternal;
import io.elanus.proto.WalPositionPb;
import io.elanus.api.CollectionListener;
import io.elanus.api.RootCoordClient;
import io.elanus.storage.kv.KvEntry;
import io.elanus.storage.kv.MetaKv;
import io.elanus.storage.object.ObjectStore;
import io.elanus.storage.wal.Wal;
import io.milvus.grpc.StateCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Datacoord: channel assignment (through the meta store's watch keys), segment allocation and
 * sealing, flush coordination, channel checkpoints, index metadata and garbage collection of
 * dropped collections. Mutations happen under this object's lock; segment and index metadata
 * are persisted before they are acted on.
 */
public final class DataCoord extends RoleComponent implements DataCoordClient, CollectionListener {
    private static final Logger LOG = LoggerFactory.getLogger(DataCoord.class);
    static final String SEGMENT_PREFIX = "datacoord-meta/s/";
    static final String CHECKPOINT_PREFIX = "datacoord-meta/channel-cp/";
    static final String INDEX_PREFIX = "datacoord-meta/index/";
    static final String SEGMENT_INDEX_PREFIX = "datacoord-meta/segment-index/";
    private static final int DROP_BATCH = 100;

    private final MetaKv kv;
    private final Wal wal;
    private final ObjectStore objects;
    private final Config config;
    private final RootCoordClient rootCoord;
    private final ChannelManager channels;
    private final Map<Long, DataNodeClient> dataNodes = new ConcurrentHashMap<>();
    private final Map<Long, SegmentMeta> segments = new ConcurrentHashMap<>();
    /** Rows handed out to growing segments since they were opened (allocation is in memory, like Milvus). */
    private final Map<Long, Long> allocatedRows = new HashMap<>();
    private final Map<Long, Long> bufferedRows = new ConcurrentHashMap<>();
    /** vchannel -> the latest flush timestamp asked of its datanode, handed on if that node dies. */
    private final Map<String, Long> pendingFlushTs = new HashMap<>();
    /** vchannel -> why its datanode cannot apply its WAL now (reported by the datanode; in memory, it re-reports). */
    private final Map<String, String> channelFaults = new ConcurrentHashMap<>();
    private final Map<Long, IndexMeta> indexes = new ConcurrentHashMap<>();
    private final Map<String, SegmentIndexMeta> segmentIndexes = new ConcurrentHashMap<>();
    private final List<SegmentListener> listeners = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService ticker;
    private final WalReaders walReaders;
    /** Upper bound of a segment's size besides dataCoord.segment.maxSize (see the constructor). */
    private final long segmentSizeCap;

    /**
     * @param walReaders     how far query nodes still read each physical channel (WAL truncation stops there)
     * @param segmentSizeCap caps the size of every new segment below dataCoord.segment.maxSize (standalone: a
     *                       share of the heap; otherwise Long.MAX_VALUE). A growing segment is flushed whole, so
     *                       its unflushed rows are buffered in memory until then, by the data node and again
     *                       during WAL replay after a restart, however far the data node lags; the cap bounds
     *                       that buffer and the flush's transient copies.
     */
    public DataCoord(long serverId, MetaKv kv, Wal wal, ObjectStore objects, Config config, RootCoordClient rootCoord,
                     WalReaders walReaders, long segmentSizeCap) {
        super(kv, serverId);
        this.kv = kv;
        this.wal = wal;
        this.objects = objects;
        this.config = config;
        this.rootCoord = rootCoord;
        this.walReaders = walReaders;
        this.segmentSizeCap = segmentSizeCap;
        this.channels = new ChannelManager(kv);
    }

    public void registerDataNode(DataNodeClient node) {
        dataNodes.put(node.nodeId(), node);
        synchronized (this) {
            channels.addDataNode(node.nodeId());
        }
    }

    /** A datanode's session is gone: it gets no more channels or flush requests. */
    public synchronized void removeDataNode(long nodeId) {
        dataNodes.remove(nodeId);
        channels.removeDataNode(nodeId);
    }

    /**
     * Channels watched by datanodes outside {@code liveNodes} (their sessions expired) move to live
     * ones and resume from their checkpoints, carrying any flush still pending on them.
     */
    public synchronized void reassignChannels(Set<Long> liveNodes) {
        List<String> moved = channels.reassignOrphans(liveNodes, this::channelCheckpoint,
                v -> pendingFlushTs.getOrDefault(v, 0L));
        // The new node reports its own faults; the lost node's say nothing about it.
        moved.forEach(channelFaults::remove);
        if (!moved.isEmpty()) {
            LOG.info("reassigned channels of lost datanodes: {}", moved);
        }
    }

    @Override
    public String roleName() {
        return "datacoord";
    }

    @Override
    public void init() throws InvalidProtocolBufferException {
        state(StateCode.Initializing);
        for (KvEntry e : kv.scanPrefix(SEGMENT_PREFIX)) {
            SegmentMeta s = SegmentMeta.parseFrom(e.value());
            segments.put(s.getId(), s);
        }
        for (KvEntry e : kv.scanPrefix(INDEX_PREFIX)) {
            IndexMeta i = IndexMeta.parseFrom(e.value());
            indexes.put(i.getIndexId(), i);
        }
        for (KvEntry e : kv.scanPrefix(SEGMENT_INDEX_PREFIX)) {
            SegmentIndexMeta si = SegmentIndexMeta.parseFrom(e.value());
            segmentIndexes.put(e.key(), si);
        }
    }

    @Override
    public void start() {
        ticker = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("datacoord-seal"));
        ticker.scheduleWithFixedDelay(this::sealIdleSegments, 5, 5, TimeUnit.SECONDS);
        ticker.scheduleWithFixedDelay(this::truncateWal, 30, 30, TimeUnit.SECONDS);
        state(StateCode.Healthy);
    }


    @Override
    public void stop() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        unregister();
    }


    // ------------------------------------------------------------------ collection lifecycle

    @Override
    public synchronized void onCollectionCreated(CollectionInfo c) {
        for (int i = 0; i < c.getVchannelsCount(); i++) {
            String v = c.getVchannels(i);
            String p = c.getPchannels(i);
            // Nothing of a new collection is in the WAL yet: replay starts at the channel's current end.
            WalPositionPb start = WalPositionPb.newBuilder().setChannel(p).setOffset(wal.endOffset(p))
                    .setTimestamp(c.getCreatedTs()).build();
            kv.put(CHECKPOINT_PREFIX + v, start.toByteArray());
            channels.watch(c, v, p, start);
        }
    }

    @Override
    public synchronized void onCollectionDropped(CollectionInfo c) {
        c.getVchannelsList().forEach(v -> {
            channels.release(v);
            pendingFlushTs.remove(v);
            channelFaults.remove(v);
            kv.delete(CHECKPOINT_PREFIX + v);
        });
        dropSegments(s -> s.getCollectionId() == c.getId());
        for (IndexMeta i : List.copyOf(indexes.values())) {
            if (i.getCollectionId() == c.getId()) {
                removeIndex(i);
            }
        }
        objects.deletePrefix("insert_log/" + c.getId() + "/");
        objects.deletePrefix("delta_log/" + c.getId() + "/");
        objects.deletePrefix("index_files/" + c.getId() + "/");
    }

    @Override
    public synchronized void onPartitionDropped(CollectionInfo c, long partitionId) {
        dropSegments(s -> s.getCollectionId() == c.getId() && s.getPartitionId() == partitionId);
        objects.deletePrefix("insert_log/" + c.getId() + "/" + partitionId + "/");
    }

    private void dropSegments(java.util.function.Predicate<SegmentMeta> which) {
        Set<String> keys = new HashSet<>();
        for (SegmentMeta s : List.copyOf(segments.values())) {
            if (which.test(s)) {
                keys.add(SEGMENT_PREFIX + s.getId());
                segments.remove(s.getId());
                allocatedRows.remove(s.getId());
                bufferedRows.remove(s.getId());
            }
        }
        // etcd caps a transaction at 128 operations; dropping is idempotent, so batches need not be atomic together.
        List<String> all = List.copyOf(keys);
        for (int from = 0; from < all.size(); from += DROP_BATCH) {
            kv.multiSaveAndRemove(Map.of(), Set.copyOf(all.subList(from, Math.min(all.size(), from + DROP_BATCH))));
        }
    }

    // ------------------------------------------------------------------ segments

    @Override
    public synchronized long assignSegment(long collectionId, long partitionId, String vchannel, int rows) {
        long maxRows = maxRows(collectionId);
        for (SegmentMeta s : segments.values()) {
            if (s.getState() == SegmentStateInternal.GROWING && s.getCollectionId() == collectionId
                    && s.getPartitionId() == partitionId && s.getVchannel().equals(vchannel)) {
                long used = allocatedRows.getOrDefault(s.getId(), s.getNumRows());
                if (used == 0 || used + rows <= maxRows) {
                    allocatedRows.put(s.getId(), used + rows);
                    return s.getId();
                }
                seal(List.of(s));
                break;
            }
        }
        long id = rootCoord.allocIds(1);
        SegmentMeta s = SegmentMeta.newBuilder().setId(id).setCollectionId(collectionId).setPartitionId(partitionId)
                .setVchannel(vchannel).setState(SegmentStateInternal.GROWING).setMaxRows(maxRows)
                .setStartTs(rootCoord.allocTimestamp()).setLevel(1).build();
        persist(s);
        allocatedRows.put(id, (long) rows);
        return id;
    }

    private long maxRows(long collectionId) {
        long bytes = Math.min(config.getLong(Params.SEGMENT_MAX_SIZE) * 1024 * 1024, segmentSizeCap);
        long perRow = rootCoord.collectionById(collectionId)
                .map(c -> RowSizeEstimator.bytesPerRow(c.getSchema())).orElse(1024L);
        return Math.max(1, bytes / perRow);
    }

    /** Seals segments and asks their datanodes to flush them at a fresh timestamp; returns that timestamp. */
    private long seal(List<SegmentMeta> toSeal) {
        long flushTs = rootCoord.allocTimestamp();
        Map<String, List<Long>> byChannel = new HashMap<>();
        for (SegmentMeta s : toSeal) {
            SegmentMeta sealed = s.toBuilder().setState(SegmentStateInternal.SEALED).setEndTs(flushTs).build();
            persist(sealed);
            allocatedRows.remove(s.getId());
            byChannel.computeIfAbsent(s.getVchannel(), k -> new ArrayList<>()).add(s.getId());
        }
        byChannel.forEach((v, ids) -> requestFlush(v, ids, flushTs));
        return flushTs;
    }

    private void requestFlush(String vchannel, List<Long> segmentIds, long flushTs) {
        pendingFlushTs.merge(vchannel, flushTs, Math::max);
        dataNodeOf(vchannel).ifPresent(n -> {
            try {
                n.flushSegments(vchannel, segmentIds, flushTs);
            } catch (RuntimeException e) {
                // The node is unreachable; when its session expires the channel moves on with this flush pending.
                LOG.warn("asking datanode {} to flush {} failed: {}", n.nodeId(), vchannel, e.toString());
            }
        });
    }

    private Optional<DataNodeClient> dataNodeOf(String vchannel) {
        return channels.watchInfo(vchannel).map(w -> dataNodes.get(w.getNodeId()));
    }

    @Override
    public synchronized FlushResult flush(long collectionId) {
        rootCoord.collectionById(collectionId).ifPresent(c -> c.getVchannelsList().forEach(v -> failIfFaulted(v, c)));
        List<SegmentMeta> growing = segments.values().stream()
                .filter(s -> s.getCollectionId() == collectionId && s.getState() == SegmentStateInternal.GROWING).toList();
        long flushTs;
        if (growing.isEmpty()) {
            flushTs = rootCoord.allocTimestamp();
        } else {
            flushTs = seal(growing);
        }
        // Deletes are persisted too: every channel of the collection flushes its delete buffer at flushTs.
        Set<String> withSegments = new HashSet<>();
        growing.forEach(s -> withSegments.add(s.getVchannel()));
        rootCoord.collectionById(collectionId).ifPresent(c -> c.getVchannelsList().stream()
                .filter(v -> !withSegments.contains(v))
                .forEach(v -> requestFlush(v, List.of(), flushTs)));
        List<Long> ids = new ArrayList<>();
        segments.values().stream().filter(s -> s.getCollectionId() == collectionId
                        && (s.getState() == SegmentStateInternal.SEALED || s.getState() == SegmentStateInternal.FLUSHING))
                .forEach(s -> ids.add(s.getId()));
        return new FlushResult(ids, flushTs);
    }

    @Override
    public boolean flushed(long collectionId, List<Long> segmentIds, long flushTs) {
        for (long id : segmentIds) {
            SegmentMeta s = segments.get(id);
            if (s != null && s.getState() != SegmentStateInternal.FLUSHED && s.getState() != SegmentStateInternal.DROPPED) {
                // The collection (a rootcoord call in cluster mode) only to name it in the error: not on every poll.
                if (channelFaults.containsKey(s.getVchannel())) {
                    rootCoord.collectionById(collectionId).ifPresent(info -> failIfFaulted(s.getVchannel(), info));
                }
                return false;
            }
        }
        Optional<CollectionInfo> c = rootCoord.collectionById(collectionId);
        if (c.isEmpty() || flushTs == 0) {
            return true;
        }
        for (String v : c.get().getVchannelsList()) {
            if (channelCheckpoint(v).getTimestamp() < flushTs) {
                failIfFaulted(v, c.get());
                return false;
            }
        }
        return true;
    }

    /**
     * A flush waiting on a channel whose datanode cannot apply its WAL would never complete: it
     * fails with the channel and the cause instead (Milvus's "channel not available", code 503).
     */
    private void failIfFaulted(String vchannel, CollectionInfo c) {
        String reason = channelFaults.get(vchannel);
        if (reason != null) {
            throw new MilvusException(MilvusError.CHANNEL_NOT_AVAILABLE, "flush of collection " + c.getSchema().getName()
                    + " cannot complete: " + reason + ": channel not available[channel=" + vchannel + "]");
        }
    }

    @Override
    public void reportChannelFault(String vchannel, String reason) {
        if (reason.isEmpty()) {
            if (channelFaults.remove(vchannel) != null) {
                LOG.info("datanode applies the WAL of {} again", vchannel);
            }
        } else if (channelFaults.put(vchannel, reason) == null) {
            LOG.warn("datanode cannot apply the WAL of {}: {}; its flushes fail until it can", vchannel, reason);
        }
    }

    /** Segments that stayed open longer than dataNode.segment.syncPeriod are sealed, so WAL replay stays bounded. */
    private synchronized void sealIdleSegments() {
        try {
            long now = rootCoord.allocTimestamp();
            long periodMs = config.getLong(Params.SYNC_PERIOD) * 1000;
            List<SegmentMeta> old = segments.values().stream()
                    .filter(s -> s.getState() == SegmentStateInternal.GROWING
                            && Tso.physicalMillis(now) - Tso.physicalMillis(s.getStartTs()) > periodMs)
                    .toList();
            if (!old.isEmpty()) {
                seal(old);
            }
        } catch (RuntimeException e) {
            LOG.warn("sealing idle segments failed", e);
        }
    }

    /**
     * Early flush under memory pressure (the quota center calls this): seals the growing segment
     * whose unflushed rows take the most memory, if at least {@code minBufferedBytes}, and asks its
     * datanode to flush it. Its buffers are freed once it is written, and the query node swaps its
     * growing copy for the sealed one. The size is estimated from the rows the datanode reports.
     */
    public synchronized boolean sealLargestGrowingSegment(long minBufferedBytes) {
        SegmentMeta largest = null;
        long largestBytes = 0;
        for (SegmentMeta s : segments.values()) {
            if (s.getState() != SegmentStateInternal.GROWING) {
                continue;
            }
            long rows = bufferedRows.getOrDefault(s.getId(), 0L);
            if (rows == 0) {
                continue;
            }
            long bytes = rows * rootCoord.collectionById(s.getCollectionId())
                    .map(c -> RowSizeEstimator.bytesPerRow(c.getSchema())).orElse(1024L);
            if (bytes > largestBytes) {
                largest = s;
                largestBytes = bytes;
            }
        }
        if (largest == null || largestBytes < minBufferedBytes) {
            return false;
        }
        LOG.info("sealing growing segment {} early to free memory (about {} MB unflushed)", largest.getId(), largestBytes >> 20);
        seal(List.of(largest));
        return true;
    }

    /**
     * WAL garbage collection: a physical channel may drop whatever lies before every checkpoint of
     * its vchannels (it is in flushed segments) and before every query node's read position.
     */
    private void truncateWal() {
        try {
            Map<String, Long> minCheckpoint = new HashMap<>();
            for (KvEntry e : kv.scanPrefix(CHECKPOINT_PREFIX)) {
                WalPositionPb cp = WalPositionPb.parseFrom(e.value());
                minCheckpoint.merge(cp.getChannel(), cp.getOffset(), Math::min);
            }
            minCheckpoint.forEach((pchannel, offset) -> {
                long safe = Math.min(offset, walReaders.minReaderOffset(pchannel));
                if (safe > wal.startOffset(pchannel)) {
                    wal.truncateBefore(pchannel, safe);
                }
            });
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            LOG.warn("WAL truncation failed", e);
        }
    }

    @Override
    public List<SegmentMeta> segments(long collectionId) {
        return segments.values().stream().filter(s -> s.getCollectionId() == collectionId)
                .sorted((a, b) -> Long.compare(a.getId(), b.getId())).toList();
    }

    @Override
    public Optional<SegmentMeta> segment(long segmentId) {
        return Optional.ofNullable(segments.get(segmentId));
    }

    @Override
    public long bufferedRows(long segmentId) {
        return bufferedRows.getOrDefault(segmentId, 0L);
    }

    @Override
    public void reportBufferedRows(long segmentId, long rows) {
        if (segments.containsKey(segmentId)) {
            bufferedRows.put(segmentId, rows);
        }
    }

    /**
     * Synchronized with {@link #saveFlushResult}: a caller that sees a new checkpoint must also see
     * the segments flushed with it, or it would skip their rows in the WAL and never load them.
     */
    @Override
    public synchronized WalPositionPb channelCheckpoint(String vchannel) {
        return kv.get(CHECKPOINT_PREFIX + vchannel).map(e -> {
            try {
                return WalPositionPb.parseFrom(e.value());
            } catch (InvalidProtocolBufferException ex) {
                throw new IllegalStateException("corrupt checkpoint of " + vchannel, ex);
            }
        }).orElse(WalPositionPb.newBuilder().setChannel(DmlChannels.pchannelOf(vchannel)).build());
    }

    @Override
    public void saveFlushResult(String vchannel, List<SegmentMeta> flushedSegments, WalPositionPb checkpoint) {
        List<SegmentMeta> saved = new ArrayList<>();
        synchronized (this) {
            Map<String, byte[]> puts = new HashMap<>();
            for (SegmentMeta s : flushedSegments) {
                SegmentMeta known = segments.get(s.getId());
                if (known == null && s.getLevel() != 0) {
                    continue; // dropped meanwhile
                }
                SegmentMeta flushed = s.toBuilder().setState(SegmentStateInternal.FLUSHED).build();
                puts.put(SEGMENT_PREFIX + s.getId(), flushed.toByteArray());
                saved.add(flushed);
            }
            if (kv.get(CHECKPOINT_PREFIX + vchannel).isEmpty()) {
                return; // the collection was dropped
            }
            puts.put(CHECKPOINT_PREFIX + vchannel, checkpoint.toByteArray());
            kv.multiSaveAndRemove(puts, Set.of());
            for (SegmentMeta s : saved) {
                segments.put(s.getId(), s);
                bufferedRows.remove(s.getId());
            }
        }
        for (SegmentMeta s : saved) {
            notifyListeners(l -> l.onSegmentFlushed(s));
        }
    }

    private void persist(SegmentMeta s) {
        kv.put(SEGMENT_PREFIX + s.getId(), s.toByteArray());
        segments.put(s.getId(), s);
    }

    // ------------------------------------------------------------------ indexes

    @Override
    public void createIndex(IndexMeta index) {
        synchronized (this) {
            kv.put(INDEX_PREFIX + index.getCollectionId() + "/" + index.getIndexId(), index.toByteArray());
            indexes.put(index.getIndexId(), index);
        }
        notifyListeners(l -> l.onIndexCreated(index));
    }

    @Override
    public List<IndexMeta> indexes(long collectionId) {
        return indexes.values().stream().filter(i -> i.getCollectionId() == collectionId)
                .sorted((a, b) -> Long.compare(a.getIndexId(), b.getIndexId())).toList();
    }

    @Override
    public synchronized void dropIndex(long collectionId, long indexId) {
        IndexMeta i = indexes.get(indexId);
        if (i != null && i.getCollectionId() == collectionId) {
            removeIndex(i);
        }
    }

    private void removeIndex(IndexMeta i) {
        kv.delete(INDEX_PREFIX + i.getCollectionId() + "/" + i.getIndexId());
        indexes.remove(i.getIndexId());
        for (Map.Entry<String, SegmentIndexMeta> e : List.copyOf(segmentIndexes.entrySet())) {
            if (e.getValue().getIndexId() == i.getIndexId()) {
                kv.delete(e.getKey());
                segmentIndexes.remove(e.getKey());
                e.getValue().getFilesList().forEach(objects::delete);
            }
        }
    }

    @Override
    public List<SegmentIndexMeta> segmentIndexes(long collectionId) {
        Set<Long> segs = new HashSet<>();
        segments(collectionId).forEach(s -> segs.add(s.getId()));
        return segmentIndexes.values().stream().filter(si -> segs.contains(si.getSegmentId())).toList();
    }

    @Override
    public void saveSegmentIndex(SegmentIndexMeta si) {
        synchronized (this) {
            if (!indexes.containsKey(si.getIndexId()) || !segments.containsKey(si.getSegmentId())) {
                si.getFilesList().forEach(objects::delete);
                return;
            }
            String key = SEGMENT_INDEX_PREFIX + si.getSegmentId() + "/" + si.getIndexId();
            kv.put(key, si.toByteArray());
            segmentIndexes.put(key, si);
        }
        notifyListeners(l -> l.onSegmentIndexBuilt(si));
    }

    /**
     * The change is persisted before listeners hear of it, so a listener's failure (its process
     * died mid-call) must not fail the caller: the listener catches up from the persisted state.
     */
    private void notifyListeners(Consumer<SegmentListener> event) {
        for (SegmentListener l : listeners) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                LOG.warn("a segment listener failed: {}", e.toString());
            }
        }
    }

    @Override
    public void addSegmentListener(SegmentListener listener) {
        listeners.add(listener);
    }
}
