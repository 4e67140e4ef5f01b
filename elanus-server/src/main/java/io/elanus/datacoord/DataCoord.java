package io.elanus.datacoord;

import io.elanus.api.CollectionListener;
import io.elanus.api.DataCoordClient;
import io.elanus.api.DataNodeClient;
import io.elanus.api.RootCoordClient;
import io.elanus.api.SegmentListener;
import io.elanus.api.WalReaders;
import io.elanus.common.Config;
import io.elanus.common.MilvusError;
import io.elanus.common.MilvusException;
import io.elanus.common.NamedThreads;
import io.elanus.common.Params;
import io.elanus.common.Tso;
import io.elanus.datacoord.SegmentAllocations.Assignment;
import io.elanus.msgstream.DmlChannels;
import io.elanus.proto.CollectionInfo;
import io.elanus.proto.IndexBuildTask;
import io.elanus.proto.IndexMeta;
import io.elanus.proto.SegmentIndexMeta;
import io.elanus.proto.SegmentMeta;
import io.elanus.proto.SegmentStateInternal;
import io.elanus.proto.WalPositionPb;
import io.elanus.session.RoleComponent;
import io.elanus.storage.kv.KvEntry;
import io.elanus.storage.kv.MetaKv;
import io.elanus.storage.object.ObjectStore;
import io.elanus.storage.wal.Wal;
import io.elanus.vector.IndexSpecs;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import io.milvus.grpc.StateCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
import java.util.function.Predicate;

/**
 * Datacoord: channel assignment (through the meta store's watch keys), segment allocation and
 * sealing, flush coordination, channel checkpoints, index metadata, index-build assignment and
 * garbage collection of dropped collections. Segment and index metadata are persisted before
 * they are acted on.
 *
 * <p><b>Who owns what.</b>
 * <ul>
 * <li>The <em>state thread</em> ({@code datacoord-state}, an {@link EventLoop}) is the only writer
 *     of the segment, checkpoint, index and segment-index maps, of {@code pendingFlushTs}, of the
 *     {@link ChannelManager}, the {@link IndexBuilds} and the two {@link RangeAllocator}s, and the
 *     only thread that writes datacoord's keys in the meta store. A change goes to the meta store
 *     first, then to the maps (segments before checkpoints: whoever sees a new checkpoint sees the
 *     segments flushed with it), then its events are queued. Its remote calls are those meta-store
 *     writes and, once per range, rootcoord's ID and timestamp allocation. Any thread reads the
 *     maps (concurrent, with immutable values) without waiting for it.</li>
 * <li><em>Callers' threads</em> make every other remote call, before or after their part on the
 *     state thread and holding nothing: rootcoord's collection lookups and fresh timestamps, WAL
 *     offsets, object-store deletes.</li>
 * <li>The insert path, {@link #assignSegment}, needs only {@link SegmentAllocations}, whose
 *     monitor is held over memory alone: handing rows to an open segment makes no remote call and
 *     does not wait for the state thread.</li>
 * <li>Datanode reports (buffered rows, channel faults) and the registered datanodes are
 *     concurrent maps written by the reporting threads (the last report wins; the state thread
 *     removes the entries of what it drops).</li>
 * <li>Segment listeners hear of a change after it is made, in the order of the changes: the
 *     state thread queues the events, and {@code datacoord-events} delivers them, one at a time.
 *     Flush requests go to datanodes from {@link FlushRequests}' thread.</li>
 * </ul>
 * There is no lock order to keep: the monitors of {@link SegmentAllocations} and
 * {@link FlushRequests} are leaves (nothing is called or locked under them), and the state thread
 * holds none while it waits for room in the bounded event queue.
 */
public final class DataCoord extends RoleComponent implements DataCoordClient, CollectionListener {
    private static final Logger LOG = LoggerFactory.getLogger(DataCoord.class);
    static final String SEGMENT_PREFIX = "datacoord-meta/s/";
    static final String CHECKPOINT_PREFIX = "datacoord-meta/channel-cp/";
    static final String INDEX_PREFIX = "datacoord-meta/index/";
    static final String SEGMENT_INDEX_PREFIX = "datacoord-meta/segment-index/";
    /** etcd caps a transaction at 128 operations. */
    private static final int KV_BATCH = 100;
    /** IDs (segments, index builds) reserved at rootcoord per call. */
    static final int ID_RANGE = 1_000;
    /** Start timestamps of new segments reserved per call; a range serves at most {@link #TS_RANGE_MAX_AGE}. */
    static final int TS_RANGE = 1_000;
    /** Start timestamps only age segments for idle sealing (minutes), so a second's staleness is harmless. */
    private static final Duration TS_RANGE_MAX_AGE = Duration.ofSeconds(1);
    private static final int STATE_QUEUE = 1_024;
    private static final int EVENT_QUEUE = 16_384;

    private final MetaKv kv;
    private final Wal wal;
    private final ObjectStore objects;
    private final Config config;
    private final RootCoordClient rootCoord;

    // ---- owned by the state thread (maps readable from any thread)
    private final EventLoop state = new EventLoop("datacoord-state", STATE_QUEUE);
    private final Map<Long, SegmentMeta> segments = new ConcurrentHashMap<>();
    /** vchannel -> where its replay starts; present while its collection exists. */
    private final Map<String, WalPositionPb> checkpoints = new ConcurrentHashMap<>();
    private final Map<Long, IndexMeta> indexes = new ConcurrentHashMap<>();
    private final Map<String, SegmentIndexMeta> segmentIndexes = new ConcurrentHashMap<>();
    /** vchannel -> the latest flush timestamp asked of its datanode, handed on if that node dies. */
    private final Map<String, Long> pendingFlushTs = new HashMap<>();
    private final ChannelManager channels;
    private final RangeAllocator ids;
    private final RangeAllocator startTimestamps;
    private final IndexBuilds builds;

    // ---- the insert path (its own monitor)
    private final SegmentAllocations allocations = new SegmentAllocations();

    // ---- written by reporting threads
    private final Map<Long, DataNodeClient> dataNodes = new ConcurrentHashMap<>();
    private final Map<Long, Long> bufferedRows = new ConcurrentHashMap<>();
    /** vchannel -> why its datanode cannot apply its WAL now (reported by the datanode; in memory, it re-reports). */
    private final Map<String, String> channelFaults = new ConcurrentHashMap<>();
    /** collection -> estimated bytes per row (schemas do not change; dropped with the collection). */
    private final Map<Long, Long> rowBytes = new ConcurrentHashMap<>();

    private final EventLoop events = new EventLoop("datacoord-events", EVENT_QUEUE);
    private final List<SegmentListener> listeners = new CopyOnWriteArrayList<>();
    private final FlushRequests flushRequests = new FlushRequests();
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
        this.ids = new RangeAllocator(rootCoord::allocIds, ID_RANGE, Long.MAX_VALUE, System::nanoTime);
        this.startTimestamps = new RangeAllocator(rootCoord::allocTimestamps, TS_RANGE, TS_RANGE_MAX_AGE.toNanos(),
                System::nanoTime);
        this.builds = new IndexBuilds(kv, ids::next);
    }

    public void registerDataNode(DataNodeClient node) {
        dataNodes.put(node.nodeId(), node);
        state.run(() -> channels.addDataNode(node.nodeId()));
    }

    /** A datanode's session is gone: it gets no more channels or flush requests. */
    public void removeDataNode(long nodeId) {
        dataNodes.remove(nodeId);
        state.run(() -> channels.removeDataNode(nodeId));
    }

    /**
     * Channels watched by datanodes outside {@code liveNodes} (their sessions expired) move to live
     * ones and resume from their checkpoints, carrying any flush still pending on them.
     */
    public void reassignChannels(Set<Long> liveNodes) {
        state.run(() -> {
            List<String> moved = channels.reassignOrphans(liveNodes, this::channelCheckpoint,
                    v -> pendingFlushTs.getOrDefault(v, 0L));
            // The new node reports its own faults; the lost node's say nothing about it.
            moved.forEach(channelFaults::remove);
            if (!moved.isEmpty()) {
                LOG.info("reassigned channels of lost datanodes: {}", moved);
            }
        });
    }

    /**
     * The index nodes alive now (cluster: the discovery's complete view; standalone: its one node).
     * Builds of nodes not among them go to these, and builds waiting for a node are assigned.
     */
    public void indexNodesChanged(Set<Long> liveNodes) {
        state.run(() -> {
            builds.nodesChanged(liveNodes);
            assignBuilds();
        });
    }

    @Override
    public String roleName() {
        return "datacoord";
    }

    @Override
    public void init() {
        state(StateCode.Initializing);
        state.run(this::load);
    }

    private void load() {
        for (KvEntry e : kv.scanPrefix(SEGMENT_PREFIX)) {
            SegmentMeta s = parse(SegmentMeta.parser(), e);
            segments.put(s.getId(), s);
            if (s.getState() == SegmentStateInternal.GROWING) {
                allocations.open(keyOf(s), s.getId(), Math.max(1, s.getMaxRows()), s.getNumRows());
            }
        }
        for (KvEntry e : kv.scanPrefix(CHECKPOINT_PREFIX)) {
            checkpoints.put(e.key().substring(CHECKPOINT_PREFIX.length()), parse(WalPositionPb.parser(), e));
        }
        for (KvEntry e : kv.scanPrefix(INDEX_PREFIX)) {
            IndexMeta i = parse(IndexMeta.parser(), e);
            indexes.put(i.getIndexId(), i);
        }
        for (KvEntry e : kv.scanPrefix(SEGMENT_INDEX_PREFIX)) {
            segmentIndexes.put(e.key(), parse(SegmentIndexMeta.parser(), e));
        }
        builds.load();
    }

    private static <T> T parse(Parser<T> parser, KvEntry e) {
        try {
            return parser.parseFrom(e.value());
        } catch (InvalidProtocolBufferException ex) {
            throw new IllegalStateException("corrupt datacoord meta at " + e.key(), ex);
        }
    }

    @Override
    public void start() {
        ticker = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("datacoord-seal"));
        ticker.scheduleWithFixedDelay(this::sealIdleSegments, 5, 5, TimeUnit.SECONDS);
        ticker.scheduleWithFixedDelay(this::truncateWal, 30, 30, TimeUnit.SECONDS);
        // Builds wanted before a restart (or before any index node was known) are assigned now.
        state.run(this::assignBuilds);
        state(StateCode.Healthy);
    }

    @Override
    public void stop() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        state.close();
        flushRequests.close();
        events.close();
        unregister();
    }

    // ------------------------------------------------------------------ collection lifecycle

    @Override
    public void onCollectionCreated(CollectionInfo c) {
        List<WalPositionPb> starts = new ArrayList<>();
        for (int i = 0; i < c.getVchannelsCount(); i++) {
            String p = c.getPchannels(i);
            // Nothing of a new collection is in the WAL yet: replay starts at the channel's current end.
            starts.add(WalPositionPb.newBuilder().setChannel(p).setOffset(wal.endOffset(p)).setTimestamp(c.getCreatedTs()).build());
        }
        state.run(() -> {
            for (int i = 0; i < c.getVchannelsCount(); i++) {
                String v = c.getVchannels(i);
                kv.put(CHECKPOINT_PREFIX + v, starts.get(i).toByteArray());
                checkpoints.put(v, starts.get(i));
                channels.watch(c, v, c.getPchannels(i), starts.get(i));
            }
        });
    }

    @Override
    public void onCollectionDropped(CollectionInfo c) {
        state.run(() -> {
            c.getVchannelsList().forEach(v -> {
                channels.release(v);
                pendingFlushTs.remove(v);
                channelFaults.remove(v);
                kv.delete(CHECKPOINT_PREFIX + v);
                checkpoints.remove(v);
            });
            dropSegments(s -> s.getCollectionId() == c.getId());
            for (IndexMeta i : List.copyOf(indexes.values())) {
                if (i.getCollectionId() == c.getId()) {
                    removeIndex(i);
                }
            }
            rowBytes.remove(c.getId());
            assignBuilds();
        });
        objects.deletePrefix("insert_log/" + c.getId() + "/");
        objects.deletePrefix("delta_log/" + c.getId() + "/");
        objects.deletePrefix("index_files/" + c.getId() + "/");
    }

    @Override
    public void onPartitionDropped(CollectionInfo c, long partitionId) {
        state.run(() -> {
            dropSegments(s -> s.getCollectionId() == c.getId() && s.getPartitionId() == partitionId);
            assignBuilds();
        });
        objects.deletePrefix("insert_log/" + c.getId() + "/" + partitionId + "/");
    }

    /** State thread. */
    private void dropSegments(Predicate<SegmentMeta> which) {
        List<Long> dropped = new ArrayList<>();
        for (SegmentMeta s : segments.values()) {
            if (which.test(s)) {
                dropped.add(s.getId());
            }
        }
        allocations.close(dropped);
        // Dropping is idempotent, so the batches need not be atomic together.
        for (int from = 0; from < dropped.size(); from += KV_BATCH) {
            Set<String> keys = new HashSet<>();
            dropped.subList(from, Math.min(dropped.size(), from + KV_BATCH)).forEach(id -> keys.add(SEGMENT_PREFIX + id));
            kv.multiSaveAndRemove(Map.of(), keys);
        }
        for (long id : dropped) {
            segments.remove(id);
            bufferedRows.remove(id);
        }
    }

    // ------------------------------------------------------------------ segments

    /**
     * The insert path. Rows go to the open segment of (collection, partition, vchannel) without a
     * remote call; only opening a segment (the first insert, or one that does not fit) waits for
     * the state thread, which persists the new segment before its ID is handed out.
     */
    @Override
    public long assignSegment(long collectionId, long partitionId, String vchannel, int rows) {
        SegmentAllocations.Key key = new SegmentAllocations.Key(collectionId, partitionId, vchannel);
        while (true) {
            switch (allocations.assign(key, rows)) {
                case Assignment.Assigned a -> {
                    return a.segmentId();
                }
                case Assignment.Full full -> sealClosed(List.of(full.segmentId()), List.of());
                case Assignment.NoneOpen none -> {
                    long maxRows = maxRows(collectionId);
                    Long opened = state.call(() -> openSegment(key, rows, maxRows));
                    if (opened != null) {
                        return opened;
                    }
                }
            }
        }
    }

    /**
     * State thread. Null when another insert opened a segment for the key meanwhile: the caller
     * assigns again. The segment is in the map before it takes rows, so a datanode that meets its
     * ID in the WAL finds it.
     */
    private Long openSegment(SegmentAllocations.Key key, int rows, long maxRows) {
        if (allocations.isOpen(key)) {
            return null;
        }
        long id = ids.next();
        persist(SegmentMeta.newBuilder().setId(id).setCollectionId(key.collectionId()).setPartitionId(key.partitionId())
                .setVchannel(key.vchannel()).setState(SegmentStateInternal.GROWING).setMaxRows(maxRows)
                .setStartTs(startTimestamps.next()).setLevel(1).build());
        allocations.open(key, id, maxRows, rows);
        return id;
    }

    private static SegmentAllocations.Key keyOf(SegmentMeta s) {
        return new SegmentAllocations.Key(s.getCollectionId(), s.getPartitionId(), s.getVchannel());
    }

    private long maxRows(long collectionId) {
        long bytes = Math.min(config.getLong(Params.SEGMENT_MAX_SIZE) * 1024 * 1024, segmentSizeCap);
        return Math.max(1, bytes / bytesPerRow(collectionId));
    }

    private long bytesPerRow(long collectionId) {
        Long cached = rowBytes.get(collectionId);
        if (cached != null) {
            return cached;
        }
        Optional<CollectionInfo> c = rootCoord.collectionById(collectionId);
        if (c.isEmpty()) {
            return 1024;
        }
        long perRow = RowSizeEstimator.bytesPerRow(c.get().getSchema());
        rowBytes.put(collectionId, perRow);
        return perRow;
    }

    /** Seals those of the segments still growing and asks their datanodes to flush them; returns the flush timestamp. */
    private long seal(List<Long> segmentIds) {
        allocations.close(segmentIds);
        return sealClosed(segmentIds, List.of());
    }

    /**
     * Seals segments that no longer take rows, at a timestamp allocated now. Every insert that got
     * one of them took its timestamp before it asked for the segment (the proxy does), hence before
     * the segment was closed and before this flush timestamp: the flush holds all its rows. A
     * segment that is open again for rows when the state thread gets here was opened after that
     * (see {@link #persistSealed}). {@code alsoFlush}: channels whose deletes are flushed up to the
     * timestamp even if no segment of theirs is sealed.
     */
    private long sealClosed(List<Long> closed, Collection<String> alsoFlush) {
        long flushTs = rootCoord.allocTimestamp();
        state.run(() -> persistSealed(closed, flushTs, alsoFlush));
        return flushTs;
    }

    /**
     * State thread. Skips segments sealed or dropped meanwhile, and any still open for rows here:
     * a sealer picked it from the map before its opening was done, so it was not closed before the
     * flush timestamp was taken.
     */
    private void persistSealed(List<Long> candidates, long flushTs, Collection<String> alsoFlush) {
        Map<String, List<Long>> byChannel = new LinkedHashMap<>();
        alsoFlush.forEach(v -> byChannel.put(v, new ArrayList<>()));
        List<SegmentMeta> sealed = new ArrayList<>();
        for (long id : candidates) {
            SegmentMeta s = segments.get(id);
            if (s == null || s.getState() != SegmentStateInternal.GROWING || allocations.isGrowing(id)) {
                continue;
            }
            sealed.add(s.toBuilder().setState(SegmentStateInternal.SEALED).setEndTs(flushTs).build());
            byChannel.computeIfAbsent(s.getVchannel(), k -> new ArrayList<>()).add(id);
        }
        persistAll(sealed);
        byChannel.forEach((v, segs) -> requestFlush(v, segs, flushTs));
    }

    /** State thread. */
    private void requestFlush(String vchannel, List<Long> segmentIds, long flushTs) {
        pendingFlushTs.merge(vchannel, flushTs, Math::max);
        channels.watchInfo(vchannel).map(w -> dataNodes.get(w.getNodeId()))
                .ifPresent(n -> flushRequests.add(n, vchannel, segmentIds, flushTs));
    }

    @Override
    public FlushResult flush(long collectionId) {
        Optional<CollectionInfo> c = rootCoord.collectionById(collectionId);
        c.ifPresent(info -> info.getVchannelsList().forEach(v -> failIfFaulted(v, info)));
        List<Long> growing = idsOf(s -> s.getCollectionId() == collectionId && s.getState() == SegmentStateInternal.GROWING);
        allocations.close(growing);
        // Deletes are persisted too: every channel of the collection flushes its delete buffer at flushTs.
        List<String> vchannels = c.<List<String>>map(CollectionInfo::getVchannelsList).orElse(List.of());
        long flushTs = sealClosed(growing, vchannels);
        List<Long> ids = idsOf(s -> s.getCollectionId() == collectionId
                && (s.getState() == SegmentStateInternal.SEALED || s.getState() == SegmentStateInternal.FLUSHING));
        return new FlushResult(ids, flushTs);
    }

    private List<Long> idsOf(Predicate<SegmentMeta> which) {
        return segments.values().stream().filter(which).map(SegmentMeta::getId).sorted().toList();
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
    private void sealIdleSegments() {
        try {
            long now = rootCoord.allocTimestamp();
            long periodMs = config.getLong(Params.SYNC_PERIOD) * 1000;
            List<Long> old = idsOf(s -> s.getState() == SegmentStateInternal.GROWING
                    && Tso.physicalMillis(now) - Tso.physicalMillis(s.getStartTs()) > periodMs);
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
    public boolean sealLargestGrowingSegment(long minBufferedBytes) {
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
            long bytes = rows * bytesPerRow(s.getCollectionId());
            if (bytes > largestBytes) {
                largest = s;
                largestBytes = bytes;
            }
        }
        if (largest == null || largestBytes < minBufferedBytes) {
            return false;
        }
        LOG.info("sealing growing segment {} early to free memory (about {} MB unflushed)", largest.getId(), largestBytes >> 20);
        seal(List.of(largest.getId()));
        return true;
    }

    /**
     * WAL garbage collection: a physical channel may drop whatever lies before every checkpoint of
     * its vchannels (it is in flushed segments) and before every query node's read position.
     */
    private void truncateWal() {
        try {
            Map<String, Long> minCheckpoint = new HashMap<>();
            for (WalPositionPb cp : checkpoints.values()) {
                minCheckpoint.merge(cp.getChannel(), cp.getOffset(), Math::min);
            }
            minCheckpoint.forEach((pchannel, offset) -> {
                long safe = Math.min(offset, walReaders.minReaderOffset(pchannel));
                if (safe > wal.startOffset(pchannel)) {
                    wal.truncateBefore(pchannel, safe);
                }
            });
        } catch (RuntimeException e) {
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
    public void reportBufferedRows(Map<Long, Long> rowsBySegment) {
        rowsBySegment.forEach((id, rows) -> {
            SegmentMeta s = segments.get(id);
            if (s != null && s.getState() != SegmentStateInternal.FLUSHED && s.getState() != SegmentStateInternal.DROPPED) {
                bufferedRows.put(id, rows);
            }
        });
    }

    @Override
    public WalPositionPb channelCheckpoint(String vchannel) {
        WalPositionPb cp = checkpoints.get(vchannel);
        return cp != null ? cp : WalPositionPb.newBuilder().setChannel(DmlChannels.pchannelOf(vchannel)).build();
    }

    @Override
    public void saveFlushResult(String vchannel, List<SegmentMeta> flushedSegments, WalPositionPb checkpoint) {
        state.run(() -> {
            if (!checkpoints.containsKey(vchannel)) {
                return; // the collection was dropped
            }
            Map<String, byte[]> puts = new HashMap<>();
            List<SegmentMeta> saved = new ArrayList<>();
            for (SegmentMeta s : flushedSegments) {
                if (!segments.containsKey(s.getId()) && s.getLevel() != 0) {
                    continue; // dropped meanwhile
                }
                SegmentMeta flushed = s.toBuilder().setState(SegmentStateInternal.FLUSHED).build();
                puts.put(SEGMENT_PREFIX + s.getId(), flushed.toByteArray());
                saved.add(flushed);
            }
            puts.put(CHECKPOINT_PREFIX + vchannel, checkpoint.toByteArray());
            kv.multiSaveAndRemove(puts, Set.of());
            for (SegmentMeta s : saved) {
                segments.put(s.getId(), s);
                bufferedRows.remove(s.getId());
            }
            checkpoints.put(vchannel, checkpoint);
            for (SegmentMeta s : saved) {
                publish(l -> l.onSegmentFlushed(s));
            }
            if (!saved.isEmpty()) {
                assignBuilds();
            }
        });
    }

    /** State thread. */
    private void persist(SegmentMeta s) {
        kv.put(SEGMENT_PREFIX + s.getId(), s.toByteArray());
        segments.put(s.getId(), s);
    }

    /** State thread. */
    private void persistAll(List<SegmentMeta> all) {
        for (int from = 0; from < all.size(); from += KV_BATCH) {
            Map<String, byte[]> puts = new HashMap<>();
            all.subList(from, Math.min(all.size(), from + KV_BATCH)).forEach(s -> puts.put(SEGMENT_PREFIX + s.getId(), s.toByteArray()));
            kv.multiSaveAndRemove(puts, Set.of());
        }
        all.forEach(s -> segments.put(s.getId(), s));
    }

    // ------------------------------------------------------------------ indexes

    @Override
    public void createIndex(IndexMeta index) {
        state.run(() -> {
            kv.put(INDEX_PREFIX + index.getCollectionId() + "/" + index.getIndexId(), index.toByteArray());
            indexes.put(index.getIndexId(), index);
            publish(l -> l.onIndexCreated(index));
            assignBuilds();
        });
    }

    @Override
    public List<IndexMeta> indexes(long collectionId) {
        return indexes.values().stream().filter(i -> i.getCollectionId() == collectionId)
                .sorted((a, b) -> Long.compare(a.getIndexId(), b.getIndexId())).toList();
    }

    @Override
    public void dropIndex(long collectionId, long indexId) {
        List<String> files = state.call(() -> {
            IndexMeta i = indexes.get(indexId);
            if (i == null || i.getCollectionId() != collectionId) {
                return List.<String>of();
            }
            List<String> removed = removeIndex(i);
            assignBuilds();
            return removed;
        });
        files.forEach(objects::delete);
    }

    /** State thread; returns the index files, for the caller to delete. */
    private List<String> removeIndex(IndexMeta i) {
        kv.delete(INDEX_PREFIX + i.getCollectionId() + "/" + i.getIndexId());
        indexes.remove(i.getIndexId());
        List<String> files = new ArrayList<>();
        for (Map.Entry<String, SegmentIndexMeta> e : List.copyOf(segmentIndexes.entrySet())) {
            if (e.getValue().getIndexId() == i.getIndexId()) {
                kv.delete(e.getKey());
                segmentIndexes.remove(e.getKey());
                files.addAll(e.getValue().getFilesList());
            }
        }
        return files;
    }

    @Override
    public List<SegmentIndexMeta> segmentIndexes(long collectionId) {
        Set<Long> segs = new HashSet<>();
        segments(collectionId).forEach(s -> segs.add(s.getId()));
        return segmentIndexes.values().stream().filter(si -> segs.contains(si.getSegmentId())).toList();
    }

    /**
     * An index node's result. Saved only if it is the build assigned now: a build taken back from a
     * node thought dead, or of an index or segment dropped meanwhile, is dropped with its files.
     * Saving the result also ends the assignment (one transaction), and the node gets its next build.
     */
    @Override
    public void saveSegmentIndex(SegmentIndexMeta si) {
        String key = SEGMENT_INDEX_PREFIX + si.getSegmentId() + "/" + si.getIndexId();
        boolean saved = state.call(() -> {
            SegmentIndexMeta known = segmentIndexes.get(key);
            if (known != null && known.getBuildId() == si.getBuildId()) {
                return true; // a repeated report of the saved result (its reply was lost)
            }
            Optional<IndexBuildTask> task = builds.current(si.getSegmentId(), si.getIndexId());
            if (task.isEmpty() || task.get().getBuildId() != si.getBuildId()
                    || !indexes.containsKey(si.getIndexId()) || !segments.containsKey(si.getSegmentId())) {
                return false;
            }
            kv.multiSaveAndRemove(Map.of(key, si.toByteArray()), Set.of(builds.finished(task.get())));
            segmentIndexes.put(key, si);
            publish(l -> l.onSegmentIndexBuilt(si));
            assignBuilds();
            return true;
        });
        if (!saved) {
            LOG.info("dropping the result of index build {} (segment {}, index {}): no longer assigned", si.getBuildId(),
                    si.getSegmentId(), si.getIndexId());
            si.getFilesList().forEach(objects::delete);
        }
    }

    /** State thread: every index of every flushed segment that is not built yet, oldest segments first. */
    private void assignBuilds() {
        List<SegmentMeta> flushed = segments.values().stream()
                .filter(s -> s.getLevel() != 0 && s.getState() == SegmentStateInternal.FLUSHED && s.getNumRows() > 0)
                .sorted(Comparator.comparingLong(SegmentMeta::getId)).toList();
        List<IndexMeta> toBuild = indexes.values().stream().filter(IndexSpecs::needsBuild)
                .sorted(Comparator.comparingLong(IndexMeta::getIndexId)).toList();
        List<IndexBuilds.Wanted> wanted = new ArrayList<>();
        for (SegmentMeta s : flushed) {
            for (IndexMeta i : toBuild) {
                if (i.getCollectionId() == s.getCollectionId()
                        && !segmentIndexes.containsKey(SEGMENT_INDEX_PREFIX + s.getId() + "/" + i.getIndexId())) {
                    wanted.add(new IndexBuilds.Wanted(s, i));
                }
            }
        }
        builds.reconcile(wanted);
    }

    /** State thread: the event goes out after the change, in order, from the event thread. */
    private void publish(Consumer<SegmentListener> event) {
        events.post(() -> {
            for (SegmentListener l : listeners) {
                // The change is persisted: a listener that failed (its process died mid-call) catches up from it.
                try {
                    event.accept(l);
                } catch (RuntimeException e) {
                    LOG.warn("a segment listener failed: {}", e.toString());
                }
            }
        });
    }

    @Override
    public void addSegmentListener(SegmentListener listener) {
        listeners.add(listener);
    }
}
