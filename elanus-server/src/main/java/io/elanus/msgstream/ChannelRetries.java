package io.elanus.msgstream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The retry state of one thread consuming a vchannel (a datanode flow graph, a querynode shard
 * delegator): how long to wait before reading again, when a failure becomes a reported fault, and
 * when it is over. Used by that consumer thread only.
 * <ul>
 *   <li>Back-off doubles from 1 s up to 30 s while attempts keep failing at the same place.</li>
 *   <li>A message that cannot be applied ({@link UnappliableMessageException}) is a fault at once:
 *       replaying it gives the same result. Any other failure (a coordinator or a storage backend
 *       unreachable) becomes one after {@value #TRANSIENT_FAILURES_BEFORE_FAULT} attempts in a row,
 *       so that a short outage does not fail requests or health.</li>
 *   <li>The failure is logged once when it starts and once when it becomes a fault; the retries in
 *       between go to debug. It is over once an attempt applies a batch that ends past the point
 *       where the failing attempts stopped.</li>
 * </ul>
 */
public final class ChannelRetries {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelRetries.class);
    static final Duration FIRST_DELAY = Duration.ofSeconds(1);
    static final Duration MAX_DELAY = Duration.ofSeconds(30);
    static final int TRANSIENT_FAILURES_BEFORE_FAULT = 3;

    private final String consumer;
    private final String whileFaulted;
    private int failures;
    /** WAL offset a batch must end at or beyond to show the failure is over; 0: any batch will do. */
    private long stuckAt;
    private boolean faulted;
    private boolean clearPending;

    /**
     * What to do after a failed attempt: wait {@code delay}, and raise a fault with the cause
     * {@code faultReason} unless it is null.
     */
    record Failure(Duration delay, String faultReason) {
    }

    /** One attempt at consuming the channel, from wherever the consumer resumes. */
    @FunctionalInterface
    public interface Attempt {
        /** @param batchEnd to set [0] to the end offset of the batch being applied (-1 between batches), for {@link #failed} */
        void run(long[] batchEnd) throws InterruptedException;
    }

    /**
     * @param consumer     what consumes the channel, for log lines and reasons ("data sync of dml_0_1v0")
     * @param whileFaulted what users see while the fault lasts, for the log line that reports it
     */
    public ChannelRetries(String consumer, String whileFaulted) {
        this.consumer = consumer;
        this.whileFaulted = whileFaulted;
    }

    /**
     * The consumer thread's loop: runs attempts until {@code running} turns false or the thread is
     * interrupted. After a failed attempt {@code onFailure} runs (to drop half-applied state),
     * {@code raiseFault} gets the reason once the failure is a fault, and the next attempt waits out
     * the back-off, which ends early when the consumer is stopped.
     */
    public void runUntilStopped(BooleanSupplier running, Attempt attempt, Runnable onFailure, Consumer<String> raiseFault) {
        while (running.getAsBoolean()) {
            long[] failedBatchEnd = {-1};
            try {
                attempt.run(failedBatchEnd);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                onFailure.run();
                Failure f = failed(e, failedBatchEnd[0]);
                if (f.faultReason() != null) {
                    raiseFault.accept(f.faultReason());
                }
                if (!pause(f.delay(), running)) {
                    return;
                }
            }
        }
    }

    /** Sleeps between attempts, waking early when stopped; false when the consumer was stopped. */
    private static boolean pause(Duration delay, BooleanSupplier running) {
        long deadline = System.nanoTime() + delay.toNanos();
        while (running.getAsBoolean() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(10_000_000L);
        }
        return running.getAsBoolean();
    }

    /**
     * @param batchEnd end offset of the batch the attempt failed in, or -1 when it failed outside a batch
     */
    Failure failed(RuntimeException e, long batchEnd) {
        failures++;
        boolean unappliable = e instanceof UnappliableMessageException;
        if (batchEnd >= 0) {
            stuckAt = Math.max(stuckAt, batchEnd);
        }
        // The cause alone: the caller's fault text already names the consumer and the channel.
        String reason = unappliable ? e.getMessage() : e.toString();
        Duration delay = delay();
        if (!faulted && (unappliable || failures >= TRANSIENT_FAILURES_BEFORE_FAULT)) {
            faulted = true;
            LOG.warn("{} is stuck: {}; retrying with back-off (up to {} s): until it succeeds, {}", consumer, reason,
                    MAX_DELAY.toSeconds(), whileFaulted);
            LOG.debug("{} failed", consumer, e);
        } else if (failures == 1) {
            LOG.warn("{} failed; reading again in {} ms: {}", consumer, delay.toMillis(), e.toString());
            LOG.debug("{} failed", consumer, e);
        } else {
            LOG.debug("{} failed again (attempt {}): {}", consumer, failures, e.toString());
        }
        return new Failure(delay, faulted ? reason : null);
    }

    private Duration delay() {
        int doublings = Math.min(failures - 1, 16);
        Duration d = FIRST_DELAY.multipliedBy(1L << doublings);
        return d.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : d;
    }

    /**
     * A batch ending at {@code batchEnd} was applied. True when a fault is to be cleared now (it was
     * just overcome, or clearing it earlier could not be delivered).
     */
    public boolean passed(long batchEnd) {
        if (failures > 0 && batchEnd >= stuckAt) {
            if (faulted) {
                LOG.info("{} applies its WAL again after {} failed attempts", consumer, failures);
                clearPending = true;
            }
            failures = 0;
            stuckAt = 0;
            faulted = false;
        }
        boolean clear = clearPending;
        clearPending = false;
        return clear;
    }

    /** Clearing the fault could not be delivered: try again after the next batch. */
    public void clearNotDelivered() {
        clearPending = true;
    }

    boolean faulted() {
        return faulted;
    }
}
