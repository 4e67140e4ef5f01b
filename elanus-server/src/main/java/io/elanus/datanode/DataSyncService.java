package io.elanus.datanode;

import io.elanus.api.DataCoordClient;
import io.elanus.msgstream.ChannelRetries;
import io.elanus.msgstream.TickBatch;
import io.elanus.msgstream.UnappliableMessageException;
import io.elanus.msgstream.VChannelReader;
import io.elanus.proto.ChannelWatchInfo;
import io.elanus.proto.FieldBinlog;
import io.elanus.proto.SegmentMeta;
import io.elanus.proto.SegmentStateInternal;
import io.elanus.proto.WalMessage;
import io.elanus.proto.WalMsgType;
import io.elanus.proto.WalPositionPb;
import io.elanus.api.RootCoordClient;
import io.elanus.segment.BinlogFormat;
import io.elanus.segment.Chunk;
import io.elanus.segment.Column;
import io.elanus.segment.FieldDataCodec;
import io.elanus.segment.LongColumn;
import io.elanus.segment.StringColumn;
import io.elanus.storage.object.ObjectStore;
import io.elanus.storage.wal.Wal;
import io.milvus.grpc.CollectionSchema;
import io.milvus.grpc.DataType;
import io.milvus.grpc.FieldData;
import io.milvus.grpc.FieldSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The data-sync flow graph of one vchannel (seed 000): consumes the WAL from the channel
 * checkpoint, buffers inserts per segment and deletes per channel, and on a flush request
 * whose timestamp the channel's time tick has passed, writes the sealed segments as columnar
 * binlogs and the deletes as a delete log (an L0 segment) to the object store, then reports to
 * datacoord, which advances the checkpoint. Everything here runs on the service's own thread;
 * only {@link #requestFlush} is called from outside (it just enqueues).
 */
final class DataSyncService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DataSyncService.class);

    private final ChannelWatchInfo watch;
    private final CollectionSchema schema;
    private final Wal wal;
    private final ObjectStore objects;
    private final DataCoordClient dataCoord;
    private final RootCoordClient rootCoord;
    private final Map<Long, SegmentBuffer> buffers = new LinkedHashMap<>();
    /** Segments whose buffered row count changed since it was last reported to datacoord. */
    private final Set<Long> rowsChanged = new LinkedHashSet<>();
    private final DeleteBuffer deletes = new DeleteBuffer();
    private final ConcurrentLinkedQueue<FlushRequest> flushRequests = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private final ChannelFaults faults;
    private final ChannelRetries retries;
    /** Milvus's dataNode.channel.updateChannelCheckpointInterval default. */
    static final Duration IDLE_CHECKPOINT_INTERVAL = Duration.ofSeconds(60);
    private final long idleCheckpointNanos;
    /** When the checkpoint was last saved (by a flush or while idle); consumer thread only. */
    private long checkpointSavedNanos = System.nanoTime();
    private volatile boolean running = true;

    private record FlushRequest(List<Long> segmentIds, long flushTs) {
    }

    DataSyncService(ChannelWatchInfo watch, Wal wal, ObjectStore objects, DataCoordClient dataCoord, RootCoordClient rootCoord,
                    ChannelFaults faults) {
        this(watch, wal, objects, dataCoord, rootCoord, faults, IDLE_CHECKPOINT_INTERVAL);
    }

    DataSyncService(ChannelWatchInfo watch, Wal wal, ObjectStore objects, DataCoordClient dataCoord, RootCoordClient rootCoord,
                    ChannelFaults faults, Duration idleCheckpointInterval) {
        this.idleCheckpointNanos = idleCheckpointInterval.toNanos();
        this.watch = watch;
        this.faults = faults;
        this.retries = new ChannelRetries("data sync of " + watch.getVchannel(),
                "flushes of its collection fail and health reports it");
        this.schema = watch.getSchema();
        this.wal = wal;
        this.objects = objects;
        this.dataCoord = dataCoord;
        this.rootCoord = rootCoord;
        // Segments sealed before a restart but not yet flushed are flushed again once replay passes their seal time.
        for (SegmentMeta s : dataCoord.segments(watch.getCollectionId())) {
            if (s.getVchannel().equals(watch.getVchannel()) && s.getState() == SegmentStateInternal.SEALED) {
                flushRequests.add(new FlushRequest(List.of(s.getId()), s.getEndTs()));
            }
        }
        if (watch.getPendingFlushTs() > 0) {
            flushRequests.add(new FlushRequest(List.of(), watch.getPendingFlushTs()));
        }
        this.thread = new Thread(this::run, "datanode-sync-" + watch.getVchannel());
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void requestFlush(List<Long> segmentIds, long flushTs) {
        flushRequests.add(new FlushRequest(segmentIds, flushTs));
    }

    /**
     * Replays the channel from its checkpoint until closed. A failure (datacoord or the object store
     * unreachable, a flush result half-reported, a message that cannot be applied) drops the buffers
     * and replays again from the checkpoint after a back-off: everything before it is in flushed
     * segments, and segments flushed meanwhile are skipped, so no row is lost or written twice.
     * Pending flush requests are kept. While the channel is stuck it is reported as a fault (see
     * {@link ChannelRetries}); other channels have their own flow graphs and go on.
     */
    private void run() {
        retries.runUntilStopped(() -> running, this::syncFromCheckpoint, () -> {
            buffers.clear();
            rowsChanged.clear();
            deletes.clear();
        }, reason -> faults.raise(watch.getVchannel(), reason));
    }

    /** @param batchEnd set to the end offset of the batch being applied, for the caller to see where a failure hit */
    private void syncFromCheckpoint(long[] batchEnd) throws InterruptedException {
        long from = dataCoord.channelCheckpoint(watch.getVchannel()).getOffset();
        try (VChannelReader reader = new VChannelReader(wal, watch.getVchannel(), from)) {
            while (running) {
                TickBatch batch = reader.next(Duration.ofMillis(500));
                if (batch == null) {
                    continue;
                }
                batchEnd[0] = batch.nextOffset();
                for (TickBatch.Entry e : batch.messages()) {
                    apply(e.message(), e.offset());
                }
                reportBufferedRows();
                flushDue(batch);
                advanceIdleCheckpoint(batch);
                batchEnd[0] = -1;
                if (retries.passed(batch.nextOffset()) && !faults.clear(watch.getVchannel())) {
                    retries.clearNotDelivered();
                }
            }
        }
    }

    private void apply(WalMessage msg, long offset) {
        if (msg.getType() == WalMsgType.INSERT) {
            SegmentBuffer buf = buffers.get(msg.getSegmentId());
            if (buf == null) {
                SegmentMeta meta = dataCoord.segment(msg.getSegmentId()).orElse(null);
                if (meta == null || meta.getState() == SegmentStateInternal.FLUSHED || meta.getState() == SegmentStateInternal.DROPPED) {
                    return; // already persisted before a restart (or dropped): replay must not duplicate it
                }
                buf = new SegmentBuffer(msg.getSegmentId(), msg.getPartitionId());
                buffers.put(msg.getSegmentId(), buf);
            }
            buf.add(decode(msg, offset), offset);
            rowsChanged.add(buf.segmentId);
        } else if (msg.getType() == WalMsgType.DELETE) {
            deletes.add(msg.getDelete().getPrimaryKeys(), msg.getTimestamp());
        }
    }

    /**
     * One report per tick batch, not one per message. Datacoord uses the counts for statistics of
     * growing segments and to pick the segment to seal under memory pressure: both may be a batch
     * behind. A failed report is not worth a replay of the channel: its segments go with the next one.
     */
    private void reportBufferedRows() {
        if (rowsChanged.isEmpty()) {
            return;
        }
        Map<Long, Long> rows = new HashMap<>();
        for (long id : rowsChanged) {
            SegmentBuffer b = buffers.get(id);
            if (b != null) {
                rows.put(id, b.rows());
            }
        }
        try {
            if (!rows.isEmpty()) {
                dataCoord.reportBufferedRows(rows);
            }
            rowsChanged.clear();
        } catch (RuntimeException e) {
            LOG.warn("reporting the buffered rows of {} failed; they go with the next batch: {}", watch.getVchannel(), e.toString());
        }
    }

    /** The insert's columns by field id; a message that does not decode against the schema is unappliable. */
    private Chunk decode(WalMessage msg, long offset) {
        try {
            return FieldDataCodec.toChunk(schema, msg.getInsert().getFieldsDataList(), (int) msg.getInsert().getNumRows(),
                    msg.getTimestamp());
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new UnappliableMessageException(watch.getVchannel(), offset, e);
        }
    }

    private void flushDue(TickBatch batch) {
        List<Long> toFlush = new ArrayList<>();
        List<FlushRequest> due = new ArrayList<>();
        for (FlushRequest r : flushRequests) {
            if (r.flushTs() <= batch.tickTs()) {
                toFlush.addAll(r.segmentIds());
                due.add(r);
            }
        }
        if (due.isEmpty()) {
            return;
        }
        List<SegmentMeta> flushed = new ArrayList<>();
        for (long id : toFlush) {
            SegmentMeta meta = dataCoord.segment(id).orElse(null);
            if (meta == null) {
                buffers.remove(id);
                continue;
            }
            SegmentBuffer buf = buffers.remove(id);
            flushed.add(buf == null ? meta.toBuilder().setNumRows(0).build() : writeSegment(meta, buf));
        }
        if (!deletes.isEmpty()) {
            flushed.add(writeDeletes());
        }
        long checkpoint = batch.nextOffset();
        for (SegmentBuffer b : buffers.values()) {
            checkpoint = Math.min(checkpoint, b.minOffset());
        }
        WalPositionPb pos = WalPositionPb.newBuilder().setChannel(watch.getPchannel()).setOffset(checkpoint)
                .setTimestamp(batch.tickTs()).build();
        dataCoord.saveFlushResult(watch.getVchannel(), flushed, pos);
        checkpointSavedNanos = System.nanoTime();
        // Only now: a flush that failed half-way is done again after the replay.
        flushRequests.removeAll(due);
    }

    /**
     * With nothing buffered, everything before the batch's end is persisted (or held no rows), so the
     * checkpoint may move there: time ticks of an idle channel are then not replayed after a restart
     * and the WAL behind them can be truncated. Like Milvus's datanode, at most once per interval.
     * A pending flush is unaffected: its timestamp lies beyond this tick, or flushDue just ran it.
     */
    private void advanceIdleCheckpoint(TickBatch batch) {
        if (!buffers.isEmpty() || !deletes.isEmpty() || System.nanoTime() - checkpointSavedNanos < idleCheckpointNanos) {
            return;
        }
        WalPositionPb pos = WalPositionPb.newBuilder().setChannel(watch.getPchannel()).setOffset(batch.nextOffset())
                .setTimestamp(batch.tickTs()).build();
        dataCoord.saveFlushResult(watch.getVchannel(), List.of(), pos);
        checkpointSavedNanos = System.nanoTime();
    }

    private SegmentMeta writeSegment(SegmentMeta meta, SegmentBuffer buf) {
        String prefix = "insert_log/" + meta.getCollectionId() + "/" + meta.getPartitionId() + "/" + meta.getId() + "/";
        SegmentMeta.Builder out = meta.toBuilder().clearBinlogs().setNumRows(buf.rows());
        List<FieldData> fields = buf.mergedFields(schema);
        int rows = (int) buf.rows();
        long bytes = 0;
        for (FieldData fd : fields) {
            FieldSchema field = fieldById(fd.getFieldId());
            byte[] file = BinlogFormat.write(FieldDataCodec.toColumn(field, fd, rows));
            String path = prefix + fd.getFieldId();
            objects.put(path, file);
            out.addBinlogs(FieldBinlog.newBuilder().setFieldId(fd.getFieldId()).setPath(path).setSize(file.length));
            bytes += file.length;
        }
        long[] ts = buf.mergedTimestamps();
        byte[] tsFile = BinlogFormat.write(new LongColumn(DataType.Int64, ts, new BitSet()));
        objects.put(prefix + "ts", tsFile);
        out.addBinlogs(FieldBinlog.newBuilder().setFieldId(1).setPath(prefix + "ts").setSize(tsFile.length));
        out.setMemSize(bytes + tsFile.length).setEndTs(ts.length == 0 ? meta.getEndTs() : ts[ts.length - 1]);
        return out.build();
    }

    /** Writes buffered deletes as an L0 segment (a delete log that applies to every segment of the channel). */
    private SegmentMeta writeDeletes() {
        long id = rootCoord.allocIds(1);
        String prefix = "delta_log/" + watch.getCollectionId() + "/" + id + "/";
        Column keys;
        if (!deletes.intKeys.isEmpty()) {
            keys = new LongColumn(DataType.Int64, deletes.intKeys.stream().mapToLong(Long::longValue).toArray(), new BitSet());
        } else {
            keys = new StringColumn(deletes.stringKeys.toArray(String[]::new), new BitSet());
        }
        long[] ts = deletes.timestamps.stream().mapToLong(Long::longValue).toArray();
        objects.put(prefix + "pk", BinlogFormat.write(keys));
        objects.put(prefix + "ts", BinlogFormat.write(new LongColumn(DataType.Int64, ts, new BitSet())));
        SegmentMeta l0 = SegmentMeta.newBuilder().setId(id).setCollectionId(watch.getCollectionId()).setPartitionId(-1)
                .setVchannel(watch.getVchannel()).setState(SegmentStateInternal.FLUSHED).setLevel(0)
                .setNumRows(ts.length).addDeltalogs(prefix + "pk").addDeltalogs(prefix + "ts").build();
        deletes.clear();
        return l0;
    }

    private FieldSchema fieldById(long id) {
        for (FieldSchema f : schema.getFieldsList()) {
            if (f.getFieldID() == id) {
                return f;
            }
        }
        throw new IllegalStateException("field " + id + " not in schema of " + schema.getName());
    }

    /**
     * Stops the consumer by flag, never by interrupt: an interrupt during a read would close the
     * WAL's shared file channel for every other reader and writer. The poll timeout bounds the wait.
     */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
