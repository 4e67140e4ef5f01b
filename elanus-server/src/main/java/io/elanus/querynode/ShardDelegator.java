package io.elanus.querynode;

import io.elanus.common.MilvusError;
import io.elanus.common.MilvusException;
import io.elanus.msgstream.ChannelRetries;
import io.elanus.msgstream.TickBatch;
import io.elanus.msgstream.UnappliableMessageException;
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
import io.milvus.grpc.CollectionSchema;
import io.milvus.grpc.FieldSchema;
import io.milvus.grpc.IDs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The shard delegator of one vchannel on a query node: growing segments fed from the WAL, sealed
 * segments loaded from the object store, the deletes seen so far, and the channel's tsafe (the
 * last time tick applied).
 *
 * <p>Concurrency: the segment state is guarded by {@link #lock}. Writers (the consumer thread
 * applying a tick's batch, a segment hand-off, the initial load) hold its write lock; searches and
 * queries hold only its read lock, so any number of them run at once. A read first waits for
 * tsafe to reach its guarantee timestamp on {@link #tsafeLock}, a monitor of its own that guards
 * nothing but the wait (as Milvus's delegator waits for tsafe without touching its segments):
 * tsafe is volatile, published under the write lock after the batch it covers is applied, and
 * signalled on {@link #tsafeAdvanced} after the write lock is released. The two locks are never
 * held together, so they have no order to keep.
 */
final class ShardDelegator implements AutoCloseable {
    final String vchannel;
    private final CollectionInfo collection;
    private final long pkFieldId;
    private final Wal wal;
    private final SegmentLoader loader;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /** Guards only the tsafe wait: a reader checks tsafe and fault and awaits under it, the consumer signals under it. */
    private final ReentrantLock tsafeLock = new ReentrantLock();
    private final Condition tsafeAdvanced = tsafeLock.newCondition();
    private final Map<Long, LoadedSegment> segments = new LinkedHashMap<>();
    /** Sealed segment ids: WAL inserts for them are already in the loaded copy. */
    private final Set<Long> sealedIds = new HashSet<>();
    private final List<Object> deletedKeys = new ArrayList<>();
    private long[] deletedTs = new long[64];
    /** Written by the consumer thread only, under the write lock, after the data it covers is applied. */
    private volatile long tsafe;
    /** The consumer's WAL position (see {@link #walPosition}); written by the consumer thread only. */
    private volatile long walPosition;
    private volatile boolean running = true;
    /** Why the channel cannot be followed now (health's reason, reads' error), or null; written by the consumer thread only. */
    private volatile String fault;
    /** Consumer thread only. */
    private final ChannelRetries retries;
    private final Thread consumer;

    ShardDelegator(CollectionInfo collection, String vchannel, Wal wal, long startOffset, SegmentLoader loader) {
        this.collection = collection;
        this.vchannel = vchannel;
        this.wal = wal;
        this.walPosition = startOffset;
        this.loader = loader;
        this.pkFieldId = collection.getSchema().getFieldsList().stream().filter(FieldSchema::getIsPrimaryKey)
                .findFirst().orElseThrow().getFieldID();
        this.retries = new ChannelRetries("query node delegator of " + vchannel,
                "reads of its collection that need newer data fail and health reports it");
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
        // Object-store reads happen before the write lock, so searches are not held up by them.
        Chunk chunk = s.getLevel() == 0 ? null : loader.loadChunk(s);
        SegmentLoader.DeleteLog log = s.getLevel() == 0 ? loader.loadDeletes(s) : null;
        lock.writeLock().lock();
        try {
            if (log != null) {
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

    /**
     * Follows the channel until closed. A failure (a message that cannot be applied, the WAL
     * unreadable) leaves everything applied so far in place: the batch being applied is decoded
     * whole before any of it is applied, so reading again from {@link #walPosition} (the end of the
     * last applied batch) after a back-off neither loses nor doubles a row. While the channel is
     * stuck its fault is reported (see {@link ChannelRetries}) and reads that need a newer tsafe fail
     * with it; other channels have their own delegators and go on.
     */
    private void consume() {
        retries.runUntilStopped(() -> running, this::follow, () -> {
        }, reason -> setFault("query node cannot follow " + vchannel + ": " + reason));
    }

    /** @param batchEnd set to the end offset of the batch being applied, for the caller to see where a failure hit */
    private void follow(long[] batchEnd) throws InterruptedException {
        try (VChannelReader reader = new VChannelReader(wal, vchannel, walPosition)) {
            while (running) {
                TickBatch batch = reader.next(Duration.ofMillis(500));
                if (batch == null) {
                    continue;
                }
                batchEnd[0] = batch.nextOffset();
                List<Change> changes = new ArrayList<>(batch.messages().size());
                for (TickBatch.Entry e : batch.messages()) {
                    changes.add(decode(e.message(), e.offset()));
                }
                lock.writeLock().lock();
                try {
                    changes.forEach(this::apply);
                    walPosition = reader.position();
                    if (batch.tickTs() > tsafe) {
                        tsafe = batch.tickTs();
                    }
                    if (retries.passed(batch.nextOffset())) {
                        fault = null;
                    }
                } finally {
                    lock.writeLock().unlock();
                }
                signalTsafeWaiters();
                batchEnd[0] = -1;
            }
        }
    }

    /** Records the fault and wakes the reads waiting for tsafe, so they fail with it now. */
    private void setFault(String reason) {
        fault = reason;
        signalTsafeWaiters();
    }

    /**
     * Wakes the reads waiting for tsafe. Taking {@link #tsafeLock} after tsafe or the fault was
     * written means a reader that found the old value under it is already awaiting: no wake-up is lost.
     */
    private void signalTsafeWaiters() {
        tsafeLock.lock();
        try {
            tsafeAdvanced.signalAll();
        } finally {
            tsafeLock.unlock();
        }
    }

    /** One WAL message decoded for {@link #apply}: the inserted rows, or the deleted keys. */
    private record Change(WalMessage msg, Chunk inserted, Column deletedKeys) {
    }

    /** Decodes without changing anything; a message that does not decode against the schema is unappliable. */
    private Change decode(WalMessage msg, long offset) {
        try {
            if (msg.getType() == WalMsgType.INSERT) {
                return new Change(msg, FieldDataCodec.toChunk(collection.getSchema(), msg.getInsert().getFieldsDataList(),
                        (int) msg.getInsert().getNumRows(), msg.getTimestamp()), null);
            }
            if (msg.getType() == WalMsgType.DELETE) {
                IDs ids = msg.getDelete().getPrimaryKeys();
                Column keys = ids.hasIntId()
                        ? new LongColumn(io.milvus.grpc.DataType.Int64, ids.getIntId().getDataList().stream().mapToLong(Long::longValue).toArray(), new BitSet())
                        : new StringColumn(ids.getStrId().getDataList().toArray(String[]::new), new BitSet());
                return new Change(msg, null, keys);
            }
            return new Change(msg, null, null);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new UnappliableMessageException(vchannel, offset, e);
        }
    }

    private void apply(Change c) {
        WalMessage msg = c.msg();
        if (c.inserted() != null) {
            if (sealedIds.contains(msg.getSegmentId())) {
                return;
            }
            segments.computeIfAbsent(msg.getSegmentId(),
                    id -> new LoadedSegment(id, msg.getPartitionId(), false, pkFieldId)).add(c.inserted());
        } else if (c.deletedKeys() != null) {
            long[] ts = new long[c.deletedKeys().size()];
            Arrays.fill(ts, msg.getTimestamp());
            recordDeletes(c.deletedKeys(), ts);
        }
    }

    private void recordDeletes(Column keys, long[] ts) {
        for (int i = 0; i < ts.length; i++) {
            Object key = keys instanceof LongColumn lc ? (Object) lc.values()[i] : ((StringColumn) keys).values()[i];
            if (deletedKeys.size() == deletedTs.length) {
                deletedTs = Arrays.copyOf(deletedTs, deletedTs.length * 2);
            }
            deletedTs[deletedKeys.size()] = ts[i];
            deletedKeys.add(key);
            for (LoadedSegment s : segments.values()) {
                s.delete(key, ts[i]);
            }
        }
    }

    /** Whether the sealed segment is loaded here. */
    boolean holdsSealed(long segmentId) {
        lock.readLock().lock();
        try {
            return sealedIds.contains(segmentId);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The WAL offset this delegator still needs records from; the WAL may drop everything before it. */
    long walPosition() {
        return walPosition;
    }

    /** Why the channel cannot be followed now, or null when it can. */
    String fault() {
        return fault;
    }

    long tsafe() {
        return tsafe;
    }

    /** The schema of the collection served, which filters are compiled against. */
    CollectionSchema schema() {
        return collection.getSchema();
    }

    long pkFieldId() {
        return pkFieldId;
    }

    /**
     * Waits until tsafe reaches {@code guaranteeTs}, then runs {@code body} under the read lock with
     * the MVCC timestamp (the tsafe at that moment, so Bounded reads see everything consumed). Reads
     * run concurrently with each other; only a writer excludes them.
     */
    <T> T read(long guaranteeTs, long timeoutMs, ReadBody<T> body) {
        awaitTsafe(guaranteeTs, timeoutMs);
        lock.readLock().lock();
        try {
            // tsafe only grows and is written under the write lock: read here it is at least
            // guaranteeTs and matches the segments this read sees.
            return body.run(List.copyOf(segments.values()), tsafe);
        } finally {
            lock.readLock().unlock();
        }
    }

    private void awaitTsafe(long guaranteeTs, long timeoutMs) {
        if (tsafe >= guaranteeTs) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        tsafeLock.lock();
        try {
            while (tsafe < guaranteeTs) {
                String stuck = fault;
                if (stuck != null) {
                    // Waiting would only end in the tsafe timeout: fail now with the cause, as Milvus's
                    // "channel not available" (the flush path words it the same way).
                    throw new MilvusException(MilvusError.CHANNEL_NOT_AVAILABLE, "collection "
                            + collection.getSchema().getName() + " cannot be read at the requested consistency: "
                            + stuck + ": channel not available[channel=" + vchannel + "]");
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new MilvusException(MilvusError.TIMEOUT,
                            "wait for tsafe timeout: channel " + vchannel + " has not reached the guarantee timestamp");
                }
                tsafeAdvanced.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MilvusException(MilvusError.TIMEOUT, "interrupted while waiting for tsafe");
        } finally {
            tsafeLock.unlock();
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
