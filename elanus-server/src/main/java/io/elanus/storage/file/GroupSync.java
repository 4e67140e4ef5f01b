package io.elanus.storage.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit for an append-only log. Writers number their records with an increasing sequence,
 * call {@link #written} (under their own write lock) once the bytes are in the file, then
 * {@link #awaitDurable}: the first waiter becomes the leader and runs one fsync that covers every
 * record written so far; the others wait for it, so concurrent appends share fsyncs.
 *
 * <p>Rule for the log: when it switches to a new file it must fsync the old one first (and may then
 * {@link #markDurable} what it holds); the {@link Forcer} then only needs to fsync the current file.
 *
 * <p>A failed fsync is final for this instance: the bytes since the last good fsync may be lost
 * (the kernel can drop dirty pages), so their writers all fail. To recover, the log
 * {@link #abandon}s this instance, cuts its files back to {@link #durable} and starts a new one.
 */
public final class GroupSync {

    @FunctionalInterface
    public interface Forcer {
        void force() throws IOException;
    }

    private final Forcer forcer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();
    /** Highest sequence whose bytes are in the file; only raised under the log's write lock. */
    private volatile long written;
    private volatile long durable;
    private boolean syncing;
    private boolean closed;
    /** A failed fsync may have lost written data (the kernel can drop dirty pages): fail-stop. */
    private IOException failure;

    public GroupSync(Forcer forcer, long initialSequence) {
        this.forcer = forcer;
        this.written = initialSequence;
        this.durable = initialSequence;
    }

    /** Records that every record up to {@code sequence} has been written (not yet synced). */
    public void written(long sequence) {
        written = sequence;
    }

    /** Highest sequence known to be durable. */
    public long durable() {
        return durable;
    }

    /** Whether an fsync failed: no record after {@link #durable} will become durable through this instance. */
    public boolean failed() {
        lock.lock();
        try {
            return failure != null;
        } finally {
            lock.unlock();
        }
    }

    /** Records that the log itself made every record up to {@code sequence} durable (it fsynced a file it rolls away from). */
    public void markDurable(long sequence) {
        lock.lock();
        try {
            if (sequence > durable) {
                durable = sequence;
                advanced.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends this instance without an fsync: waits for a running one, then fails every writer still
     * waiting with {@code cause} (their records are about to be cut off). Returns the final
     * {@link #durable}: records up to it were acknowledged and must be kept. The caller must already
     * prevent new writes.
     */
    public long abandon(IOException cause) {
        lock.lock();
        try {
            while (syncing) {
                advanced.awaitUninterruptibly();
            }
            if (failure == null) {
                failure = cause;
            }
            closed = true;
            advanced.signalAll();
            return durable;
        } finally {
            lock.unlock();
        }
    }

    /** Returns once the record {@code sequence} is durable, running the fsync if no one else is. */
    public void awaitDurable(long sequence) {
        lock.lock();
        try {
            while (durable < sequence) {
                if (failure != null) {
                    throw new UncheckedIOException("an fsync of this log failed; reopen it to recover", failure);
                }
                if (closed) {
                    throw new IllegalStateException("log closed before record " + sequence + " became durable");
                }
                if (syncing) {
                    advanced.awaitUninterruptibly();
                } else {
                    syncAsLeader();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Called and returns with the lock held; releases it around the fsync. */
    private void syncAsLeader() {
        syncing = true;
        long target = written;
        lock.unlock();
        IOException error = null;
        try {
            forcer.force();
        } catch (IOException e) {
            error = e;
        } finally {
            lock.lock();
            syncing = false;
            if (error != null) {
                failure = error;
            } else if (target > durable) {
                durable = target;
            }
            advanced.signalAll();
        }
    }

    /**
     * Waits up to {@code timeoutNanos} for {@code sequence} to become durable without starting an
     * fsync (for readers); returns whether it is durable. Returns early once closed or failed.
     */
    public boolean awaitDurableFor(long sequence, long timeoutNanos) throws InterruptedException {
        if (durable >= sequence) {
            return true;
        }
        lock.lock();
        try {
            long remaining = timeoutNanos;
            while (durable < sequence && !closed && failure == null && remaining > 0) {
                remaining = advanced.awaitNanos(remaining);
            }
            return durable >= sequence;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for a running fsync, runs a final one so every written record is durable, and stops
     * further syncs. The caller must already prevent new writes.
     */
    public void close() throws IOException {
        lock.lock();
        try {
            while (syncing) {
                advanced.awaitUninterruptibly();
            }
            if (closed) {
                return;
            }
            closed = true;
            if (durable < written) {
                forcer.force();
                durable = written;
            }
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
