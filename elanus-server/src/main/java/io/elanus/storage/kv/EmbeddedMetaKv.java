package io.elanus.storage.kv;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.elanus.storage.DataDirGuard;
import io.elanus.storage.StorageFaultException;
import io.elanus.storage.StorageFaultLog;
import io.elanus.storage.file.ChannelOpener;
import io.elanus.storage.file.GroupSync;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The standalone meta store: an in-memory sorted map made durable by a local log.
 *
 * <p>Layout in {@code dir}: {@code log-<first revision>.log} holds one CRC-framed record per
 * mutation (its revision and puts/deletes); {@code snapshot-<revision>.snap} holds the whole map
 * at a revision. Once the log since the last snapshot outgrows both {@link Settings#snapshotLogBytes}
 * and the live map, a background task starts a new log and writes a snapshot, then deletes the older
 * logs: what a restart reads is bounded by the live state, not by the history of mutations, and
 * snapshots cost O(1) per logged byte. On
 * open the newest snapshot is loaded, later logs are replayed and a torn tail of the newest log
 * (a crash mid-write) is cut off.
 *
 * <p>Durability rule: a mutation returns only after its log record is fsynced; concurrent
 * mutations share fsyncs (group commit). Reads may already see a mutation whose fsync is in
 * flight; watchers only get it once it is durable.
 *
 * <p>Watches replay the retained history (the events replayed since the last snapshot on open,
 * then at most {@link Settings#historyEvents} events) before streaming live events; asking for
 * older revisions throws {@link HistoryCompactedException}. Leases live in memory only: on open,
 * keys attached to a lease of a previous run are deleted (one new revision), like etcd sessions
 * that expired while the process was down.
 *
 * <p>Faults: a mutation that cannot be logged (a full disk, a read-only or deleted directory) fails
 * with a {@link StorageFaultException} naming the cause and changes nothing; {@link #activeFaults}
 * reports it until a mutation succeeds again. Reads go on. The log recovers by itself (see
 * {@link KvLog}): after a failed fsync the next mutation first cuts the log back to its durable
 * revision and rolls the in-memory map back to it, so no mutation a caller saw fail survives a
 * restart. A deleted meta directory refuses every mutation from then on.
 *
 * <p>Threads: one daemon thread for lease expiry and snapshots, plus one per open watch.
 * {@link #close} stops them (joining watch threads, so a listener must not block forever), makes
 * every mutation durable and closes the files.
 */
public final class EmbeddedMetaKv implements MetaKv {

    /**
     * @param snapshotLogBytes   log size after which a snapshot is taken (or the live map's size, if larger)
     * @param historyEvents      how many recent events watches can replay
     * @param leaseCheckInterval how often expired leases are looked for
     */
    public record Settings(long snapshotLogBytes, int historyEvents, Duration leaseCheckInterval) {
        public static final Settings DEFAULT = new Settings(8L << 20, 10_000, Duration.ofMillis(100));
    }

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMetaKv.class);
    private static final String LOG_FAULT = "log";

    /** A mutation written to the log and the group commit that makes it durable. */
    private record Written(long revision, GroupSync sync) {
    }

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final TreeMap<String, KvEntry> map = new TreeMap<>();
    private final Settings settings;
    private final ScheduledExecutorService maintenance;
    private final StorageFaultLog faults;
    private DataDirGuard guard;
    private KvLog log;
    private WatchHub watchHub;
    private LeaseTable leases;
    private volatile long revision;
    /** Approximate encoded size of the map's entries; guarded like the map. */
    private long liveBytes;
    private boolean snapshotRunning;
    private volatile boolean closed;

    private EmbeddedMetaKv(Path dir, Settings settings) {
        this.settings = settings;
        this.faults = new StorageFaultLog("meta store", dir);
        this.maintenance = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("elanus-kv-maintenance").factory());
    }

    public static EmbeddedMetaKv open(Path dir) {
        return open(dir, Settings.DEFAULT);
    }

    public static EmbeddedMetaKv open(Path dir, Settings settings) {
        return open(dir, settings, ChannelOpener.DEFAULT);
    }

    /** As {@link #open(Path, Settings)}, opening log files through {@code opener} (tests inject faults there). */
    public static EmbeddedMetaKv open(Path dir, Settings settings, ChannelOpener opener) {
        EmbeddedMetaKv kv = new EmbeddedMetaKv(dir, settings);
        try {
            kv.recover(dir, opener);
        } catch (IOException | RuntimeException e) {
            kv.maintenance.shutdownNow();
            kv.closeLogQuietly();
            throw e instanceof IOException io ? new UncheckedIOException("cannot open meta store in " + dir, io)
                    : (RuntimeException) e;
        }
        long interval = settings.leaseCheckInterval().toNanos();
        kv.maintenance.scheduleWithFixedDelay(kv::expireLeases, interval, interval, TimeUnit.NANOSECONDS);
        return kv;
    }

    private void recover(Path dir, ChannelOpener opener) throws IOException {
        List<KvEvent> replayed = new ArrayList<>();
        long[] snapshotRevision = {0};
        Files.createDirectories(dir);
        guard = new DataDirGuard(dir);
        log = KvLog.open(dir, opener, guard, new KvLog.Replay() {
            @Override
            public void snapshot(long rev, List<KvEntry> entries) {
                snapshotRevision[0] = rev;
                entries.forEach(e -> {
                    map.put(e.key(), e);
                    liveBytes += encodedSize(e);
                });
            }

            @Override
            public void mutation(KvCodec.Mutation mutation) {
                Applied applied = apply(map, mutation.revision(), mutation.ops());
                replayed.addAll(applied.events());
                liveBytes += applied.liveBytesDelta();
            }
        });
        revision = replayed.isEmpty() ? snapshotRevision[0] : replayed.getLast().entry().modRevision();
        watchHub = new WatchHub(settings.historyEvents(), snapshotRevision[0] + 1);
        watchHub.restore(replayed);
        long maxLease = map.values().stream().mapToLong(KvEntry::leaseId).max().orElse(0);
        leases = new LeaseTable(maxLease + 1);
        List<KvOp> orphans = map.values().stream().filter(e -> e.leaseId() != 0)
                .<KvOp>map(e -> new KvOp.Delete(e.key())).toList();
        if (!orphans.isEmpty()) {
            Written written = commit(orphans);
            written.sync().awaitDurable(written.revision());
            watchHub.publishUpTo(written.revision());
        }
    }

    // ---- reads

    @Override
    public Optional<KvEntry> get(String key) {
        lock.readLock().lock();
        try {
            return Optional.ofNullable(map.get(key)).map(EmbeddedMetaKv::copy);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<KvEntry> scanPrefix(String prefix) {
        lock.readLock().lock();
        try {
            List<KvEntry> result = new ArrayList<>();
            for (KvEntry entry : map.tailMap(prefix, true).values()) {
                if (!entry.key().startsWith(prefix)) {
                    break;
                }
                result.add(copy(entry));
            }
            return result;
        } finally {
            lock.readLock().unlock();
        }
    }

    private static KvEntry copy(KvEntry e) {
        return new KvEntry(e.key(), e.value().clone(), e.createRevision(), e.modRevision(), e.version(), e.leaseId());
    }

    @Override
    public long currentRevision() {
        return revision;
    }

    // ---- mutations

    @Override
    public long put(String key, byte[] value) {
        return put(key, value, 0);
    }

    @Override
    public long put(String key, byte[] value, long leaseId) {
        KvOp op = new KvOp.Put(requireKey(key), value.clone(), leaseId);
        return mutate(() -> {
            if (leaseId != 0 && !leases.contains(leaseId)) {
                throw new LeaseNotFoundException(leaseId);
            }
            return List.of(op);
        });
    }

    @Override
    public boolean delete(String key) {
        boolean[] existed = {false};
        mutate(() -> {
            existed[0] = map.containsKey(key);
            return existed[0] ? List.of(new KvOp.Delete(key)) : List.of();
        });
        return existed[0];
    }

    @Override
    public int deletePrefix(String prefix) {
        int[] count = {0};
        mutate(() -> {
            List<KvOp> ops = new ArrayList<>();
            for (String key : map.tailMap(prefix, true).keySet()) {
                if (!key.startsWith(prefix)) {
                    break;
                }
                ops.add(new KvOp.Delete(key));
            }
            count[0] = ops.size();
            return ops;
        });
        return count[0];
    }

    @Override
    public long multiSaveAndRemove(Map<String, byte[]> puts, Set<String> deletes) {
        List<KvOp> planned = new ArrayList<>();
        for (Map.Entry<String, byte[]> put : new TreeMap<>(puts).entrySet()) {
            if (deletes.contains(put.getKey())) {
                throw new IllegalArgumentException("key both saved and removed: " + put.getKey());
            }
            planned.add(new KvOp.Put(requireKey(put.getKey()), put.getValue().clone(), 0));
        }
        return mutate(() -> {
            List<KvOp> ops = new ArrayList<>(planned);
            for (String key : deletes) {
                if (map.containsKey(key)) {
                    ops.add(new KvOp.Delete(key));
                }
            }
            return ops;
        });
    }

    @Override
    public boolean compareAndSwap(String key, long expectedModRevision, byte[] value) {
        KvOp op = new KvOp.Put(requireKey(key), value.clone(), 0);
        boolean[] swapped = {false};
        mutate(() -> {
            KvEntry current = map.get(key);
            long actual = current == null ? 0 : current.modRevision();
            swapped[0] = actual == expectedModRevision;
            return swapped[0] ? List.of(op) : List.of();
        });
        return swapped[0];
    }

    private static String requireKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("empty key");
        }
        return key;
    }

    @FunctionalInterface
    private interface Planner {
        /** Runs under the write lock; returns the effective ops (empty: nothing changes). */
        List<KvOp> plan();
    }

    /** Plans and logs a mutation under the lock, then waits for it to be durable outside the lock. */
    private long mutate(Planner planner) {
        Written written;
        lock.writeLock().lock();
        try {
            ensureOpen();
            repairIfNeeded();
            List<KvOp> ops = planner.plan();
            if (ops.isEmpty()) {
                return revision;
            }
            written = commit(ops);
        } catch (StorageFaultException e) {
            faults.raise(LOG_FAULT, e);
            throw e;
        } finally {
            lock.writeLock().unlock();
        }
        try {
            written.sync().awaitDurable(written.revision());
        } catch (UncheckedIOException e) {
            StorageFaultException fault = StorageFaultException.classify(log.activePath(), e.getCause());
            faults.raise(LOG_FAULT, fault);
            throw fault;
        }
        faults.clear(LOG_FAULT);
        watchHub.publishUpTo(written.revision());
        maybeSnapshot();
        return written.revision();
    }

    /** Logs and applies one revision; the caller holds the write lock (or is recovering). */
    private Written commit(List<KvOp> ops) {
        long next = revision + 1;
        GroupSync sync;
        try {
            sync = log.append(next, KvCodec.encodeMutation(next, ops));
        } catch (IOException e) {
            throw StorageFaultException.classify(log.activePath(), e);
        }
        Applied applied = apply(map, next, ops);
        liveBytes += applied.liveBytesDelta();
        revision = next;
        watchHub.stage(next, applied.events());
        return new Written(next, sync);
    }

    /**
     * After a failed fsync: cuts the log back to its durable revision and rolls the map back to it
     * by replaying the files (rare, so simple). Mutations after it failed for their callers and were
     * never published to watchers. Caller holds the write lock.
     */
    private void repairIfNeeded() {
        if (!log.needsRepair()) {
            return;
        }
        guard.ensureNotLost();
        try {
            long durable = log.repair();
            if (durable == revision) {
                return;
            }
            TreeMap<String, KvEntry> rebuilt = new TreeMap<>();
            long[] rebuiltBytes = {0};
            long replayed = log.replay(new KvLog.Replay() {
                @Override
                public void snapshot(long rev, List<KvEntry> entries) {
                    entries.forEach(e -> {
                        rebuilt.put(e.key(), e);
                        rebuiltBytes[0] += encodedSize(e);
                    });
                }

                @Override
                public void mutation(KvCodec.Mutation mutation) {
                    rebuiltBytes[0] += apply(rebuilt, mutation.revision(), mutation.ops()).liveBytesDelta();
                }
            });
            if (replayed != durable) {
                throw new IOException("meta store log replays to revision " + replayed + " after a repair to revision " + durable);
            }
            map.clear();
            map.putAll(rebuilt);
            liveBytes = rebuiltBytes[0];
            revision = durable;
            watchHub.discardAbove(durable);
            LOG.warn("meta store rolled back to revision {} after a failed fsync", durable);
        } catch (IOException e) {
            throw StorageFaultException.classify(log.activePath(), e);
        }
    }

    /** The fault of the last mutation (until one succeeds), and a deleted meta directory (checked on each call). */
    @Override
    public List<String> activeFaults() {
        return faults.activeWith(closed || guard == null ? null : guard.lossOrNull());
    }

    /** What applying one revision did: its events, and how much the encoded size of the live entries changed. */
    private record Applied(List<KvEvent> events, long liveBytesDelta) {
    }

    /** Applies a revision's ops to the map with etcd's bookkeeping. */
    private static Applied apply(TreeMap<String, KvEntry> map, long rev, List<KvOp> ops) {
        List<KvEvent> events = new ArrayList<>(ops.size());
        long liveBytesDelta = 0;
        for (KvOp op : ops) {
            KvEntry previous = map.get(op.key());
            switch (op) {
                case KvOp.Put put -> {
                    KvEntry entry = previous == null
                            ? new KvEntry(put.key(), put.value(), rev, rev, 1, put.leaseId())
                            : new KvEntry(put.key(), put.value(), previous.createRevision(), rev,
                                    previous.version() + 1, put.leaseId());
                    map.put(put.key(), entry);
                    liveBytesDelta += encodedSize(entry) - (previous == null ? 0 : encodedSize(previous));
                    events.add(new KvEvent(KvEvent.Type.PUT, copy(entry)));
                }
                case KvOp.Delete delete -> {
                    if (previous != null) {
                        map.remove(delete.key());
                        liveBytesDelta -= encodedSize(previous);
                        events.add(new KvEvent(KvEvent.Type.DELETE, new KvEntry(delete.key(), new byte[0], 0, rev, 0, 0)));
                    }
                }
            }
        }
        return new Applied(events, liveBytesDelta);
    }

    // ---- watches

    @Override
    public KvWatch watchPrefix(String prefix, long afterRevision, KvWatchListener listener) {
        ensureOpen();
        return watchHub.register(prefix, afterRevision, listener);
    }

    // ---- leases

    @Override
    public long grantLease(Duration ttl) {
        ensureOpen();
        return leases.grant(ttl);
    }

    @Override
    public boolean keepAlive(long leaseId) {
        ensureOpen();
        return leases.keepAlive(leaseId);
    }

    @Override
    public void revokeLease(long leaseId) {
        endLease(leaseId);
    }

    /** Removes the lease and deletes its keys in one revision (as etcd does). */
    private void endLease(long leaseId) {
        mutate(() -> {
            if (!leases.remove(leaseId)) {
                return List.of();
            }
            return map.values().stream().filter(e -> e.leaseId() == leaseId)
                    .<KvOp>map(e -> new KvOp.Delete(e.key())).toList();
        });
    }

    private void expireLeases() {
        try {
            for (long leaseId : leases.expired()) {
                endLease(leaseId);
            }
        } catch (RuntimeException e) {
            if (!closed) {
                LOG.error("lease expiry failed", e);
            }
        }
    }

    // ---- snapshots

    private void maybeSnapshot() {
        lock.writeLock().lock();
        try {
            if (closed || snapshotRunning
                    || log.bytesSinceSnapshot() < Math.max(settings.snapshotLogBytes(), liveBytes)) {
                return;
            }
            snapshotRunning = true;
        } finally {
            lock.writeLock().unlock();
        }
        maintenance.execute(this::snapshot);
    }

    /** An entry's size in a snapshot, near enough: its key, value and four longs. */
    private static long encodedSize(KvEntry e) {
        return e.key().length() + e.value().length + 32L;
    }

    private void snapshot() {
        long snapshotRevision;
        List<KvEntry> entries;
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            snapshotRevision = revision;
            log.roll(snapshotRevision + 1);
            entries = List.copyOf(map.values());
        } catch (IOException e) {
            LOG.error("meta store log roll failed: {}", StorageFaultException.classify(log.activePath(), e).getMessage());
            snapshotRunning = false;
            return;
        } finally {
            lock.writeLock().unlock();
        }
        try {
            log.writeSnapshot(snapshotRevision, entries);
        } catch (IOException e) {
            LOG.error("meta store snapshot at revision {} failed; the logs are kept: {}", snapshotRevision,
                    StorageFaultException.classify(log.activePath(), e).getMessage());
        } finally {
            lock.writeLock().lock();
            snapshotRunning = false;
            lock.writeLock().unlock();
        }
    }

    // ---- lifecycle

    private void closeLogQuietly() {
        if (log != null) {
            try {
                log.close();
            } catch (IOException | RuntimeException e) {
                LOG.warn("closing the meta store log after a failed open failed", e);
            }
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("meta store is closed");
        }
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            lock.writeLock().unlock();
        }
        maintenance.shutdown();
        try {
            maintenance.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        watchHub.closeAll();
        try {
            log.close();
        } catch (IOException e) {
            throw new UncheckedIOException("meta store close failed", e);
        }
    }
}
