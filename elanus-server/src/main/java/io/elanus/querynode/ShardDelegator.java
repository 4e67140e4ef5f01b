package io.elanus.querynode;

import io.elanus.common.MilvusError;
import io.elanus.common.MilvusException;
import io.elanus.msgstream.TickBatch;
import io.elanus.msgstream.VChannelReader;
import io.elanus.proto.CollectionInfo;
import io.elanus.proto.SegmentMeta;
import io.elanus.proto.WalMessage;
import io.elanus.proto.WalMsgType;
import io.elanus.segment.Chunk;
import io.elanus.segment.Column;
import io.elanus.segment.FieldDataCodec;
import io.elanus.segment.LongColumn;
import io.elanus.segment.StringColumn;
import io.elanus.storage.wal.Wal;
import io.milvus.grpc.FieldSchema;
import io.milvus.grpc.IDs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The shard delegator of one vchannel on a query node: growing segments fed from the WAL, sealed
 * segments loaded from the object store, the deletes seen so far, and the channel's tsafe (the
 * last time tick applied). Its consumer thread is the only writer and holds the write lock while
 * applying a tick's batch; searches and queries hold the read lock, after waiting for tsafe to
 * reach their guarantee timestamp.
 */
final class ShardDelegator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ShardDelegator.class);

    final String vchannel;
    private final CollectionInfo collection;
    private final long pkFieldId;
    private final Wal wal;
    private final long startOffset;
    private final SegmentLoader loader;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Condition tsafeAdvanced = lock.writeLock().newCondition();
    private final Map<Long, LoadedSegment> segments = new LinkedHashMap<>();
    /** Sealed segment ids: WAL inserts for them are already in the loaded copy. */
    private final Set<Long> sealedIds = new HashSet<>();
    private final List<Object> deletedKeys = new ArrayList<>();
    private long[] deletedTs = new long[64];
    private volatile long tsafe;
    /** The consumer's WAL position (see {@link #walPosition}); written by the consumer thread only. */
    private volatile long walPosition;
    private volatile boolean running = true;
    private final Thread consumer;

    ShardDelegator(CollectionInfo collection, String vchannel, Wal wal, long startOffset, SegmentLoader loader) {
        this.collection = collection;
        this.vchannel = vchannel;
        this.wal = wal;
        this.startOffset = startOffset;
        this.walPosition = startOffset;
        this.loader = loader;
        this.pkFieldId = collection.getSchema().getFieldsList().stream().filter(FieldSchema::getIsPrimaryKey)
                .findFirst().orElseThrow().getFieldID();
        this.consumer = new Thread(this::consume, "querynode-delegator-" + vchannel);
        this.consumer.setDaemon(true);
    }

    /** Loads the flushed segments and delete logs present at load time, then starts following the WAL. */
    void start(Collection<SegmentMeta> flushed) {
        lock.writeLock().lock();
        try {
            for (SegmentMeta s : flushed) {
                if (s.getLevel() == 0) {
                    SegmentLoader.DeleteLog log = loader.loadDeletes(s);
                    recordDeletes(log.keys(), log.timestamps());
                }
            }
            for (SegmentMeta s : flushed) {
                if (s.getLevel() != 0) {
                    addSealed(s);
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
        consumer.start();
    }

    /** Hand-off: a segment of this channel was flushed; serve the sealed copy instead of the growing one. */
    void onSegmentFlushed(SegmentMeta s) {
        Chunk chunk = s.getLevel() == 0 ? null : loader.loadChunk(s);
        lock.writeLock().lock();
        try {
            if (s.getLevel() == 0) {
                SegmentLoader.DeleteLog log = loader.loadDeletes(s);
                recordDeletes(log.keys(), log.timestamps());
            } else if (!sealedIds.contains(s.getId())) {
                installSealed(s, chunk);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void addSealed(SegmentMeta s) {
        installSealed(s, loader.loadChunk(s));
    }

    private void installSealed(SegmentMeta s, Chunk chunk) {
        LoadedSegment seg = new LoadedSegment(s.getId(), s.getPartitionId(), true, pkFieldId);
        seg.add(chunk);
        for (int i = 0; i < deletedKeys.size(); i++) {
            seg.delete(deletedKeys.get(i), deletedTs[i]);
        }
        segments.put(s.getId(), seg);
        sealedIds.add(s.getId());
    }

    private void consume() {
        try (VChannelReader reader = new VChannelReader(wal, vchannel, startOffset)) {
            while (running) {
                TickBatch batch = reader.next(Duration.ofMillis(500));
                if (batch == null) {
                    continue;
                }
                lock.writeLock().lock();
                try {
                    for (TickBatch.Entry e : batch.messages()) {
                        apply(e.message());
                    }
                    walPosition = reader.position();
                    if (batch.tickTs() > tsafe) {
                        tsafe = batch.tickTs();
                    }
                    tsafeAdvanced.signalAll();
                } finally {
                    lock.writeLock().unlock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("delegator of {} stopped", vchannel, e);
        }
    }

    private void apply(WalMessage msg) {
        if (msg.getType() == WalMsgType.INSERT) {
            if (sealedIds.contains(msg.getSegmentId())) {
                return;
            }
            Chunk chunk = FieldDataCodec.toChunk(collection.getSchema(), msg.getInsert().getFieldsDataList(),
                    (int) msg.getInsert().getNumRows(), msg.getTimestamp());
            segments.computeIfAbsent(msg.getSegmentId(),
                    id -> new LoadedSegment(id, msg.getPartitionId(), false, pkFieldId)).add(chunk);
        } else if (msg.getType() == WalMsgType.DELETE) {
            IDs ids = msg.getDelete().getPrimaryKeys();
            Column keys = ids.hasIntId()
                    ? new LongColumn(io.milvus.grpc.DataType.Int64, ids.getIntId().getDataList().stream().mapToLong(Long::longValue).toArray(), new java.util.BitSet())
                    : new StringColumn(ids.getStrId().getDataList().toArray(String[]::new), new java.util.BitSet());
            long[] ts = new long[keys.size()];
            java.util.Arrays.fill(ts, msg.getTimestamp());
            recordDeletes(keys, ts);
        }
    }

    private void recordDeletes(Column keys, long[] ts) {
        for (int i = 0; i < ts.length; i++) {
            Object key = keys instanceof LongColumn lc ? (Object) lc.values()[i] : ((StringColumn) keys).values()[i];
            if (deletedKeys.size() == deletedTs.length) {
                deletedTs = java.util.Arrays.copyOf(deletedTs, deletedTs.length * 2);
            }
            deletedTs[deletedKeys.size()] = ts[i];
            deletedKeys.add(key);
            for (LoadedSegment s : segments.values()) {
                s.delete(key, ts[i]);
            }
        }
    }

    /** The WAL offset this delegator still needs records from; the WAL may drop everything before it. */
    /** Whether the sealed segment is loaded here. */
    boolean holdsSealed(long segmentId) {
        lock.readLock().lock();
        try {
            return sealedIds.contains(segmentId);
        } finally {
            lock.readLock().unlock();
        }
    }

    long walPosition() {
        return walPosition;
    }

    long tsafe() {
        return tsafe;
    }

    /**
     * Waits until tsafe reaches {@code guaranteeTs}, then runs {@code body} under the read lock with
     * the MVCC timestamp (the tsafe at that moment, so Bounded reads see everything consumed).
     */
    <T> T read(long guaranteeTs, long timeoutMs, ReadBody<T> body) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        lock.writeLock().lock();
        try {
            while (tsafe < guaranteeTs) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new MilvusException(MilvusError.TIMEOUT,
                            "wait for tsafe timeout: channel " + vchannel + " has not reached the guarantee timestamp");
                }
                tsafeAdvanced.awaitNanos(left);
            }
            lock.readLock().lock();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MilvusException(MilvusError.TIMEOUT, "interrupted while waiting for tsafe");
        } finally {
            lock.writeLock().unlock();
        }
        try {
            return body.run(List.copyOf(segments.values()), tsafe);
        } finally {
            lock.readLock().unlock();
        }
    }

    @FunctionalInterface
    interface ReadBody<T> {
        T run(List<LoadedSegment> segments, long mvccTs);
    }

    /**
     * Stops the consumer by flag, never by interrupt: an interrupt during a read would close the
     * WAL's shared file channel for every other reader and writer. The poll timeout bounds the wait.
     */
    @Override
    public void close() {
        running = false;
        try {
            consumer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
