package io.elanus.proxy;

import io.elanus.api.RootCoordClient;

import java.util.TreeMap;
import java.util.function.LongFunction;

/**
 * The proxy's task scheduler (developer guide 5.5): a DDL queue that runs one task at a time in
 * arrival order, and DML and DQL queues that run several at once for throughput. The queues run their
 * tasks on the gRPC request threads ({@link TaskQueue}).
 *
 * <p>Time ticks: a tick at T promises that no DML with a timestamp below T will still be written
 * (TaskDoneTest of the guide), so a DML registers as in flight before its timestamp is known, and
 * {@link #safeTickTs} never passes an in-flight DML. The timestamp itself is asked of the oracle (an
 * RPC in a cluster) with no lock held: the DML first registers a placeholder no larger than any
 * timestamp it can get (one above the largest timestamp seen so far, which the oracle's strictly
 * increasing timestamps cannot go below), and swaps it for its timestamp once that is known.
 */
final class TaskScheduler {
    static final int DDL_WIDTH = 1;
    static final int DML_WIDTH = 4;

    private final RootCoordClient tso;
    private final TaskQueue ddQueue;
    private final TaskQueue dmQueue;
    private final TaskQueue dqQueue;
    private final int dqlWidth;
    /** Timestamps (or placeholders) of DML tasks in flight -> how many share it. Guarded by {@code this}. */
    private final TreeMap<Long, Integer> inFlightDml = new TreeMap<>();
    /** The largest timestamp this scheduler saw the oracle give. Guarded by {@code this}. */
    private long largestSeen;

    TaskScheduler(RootCoordClient tso, int maxTaskNum) {
        this.tso = tso;
        this.dqlWidth = Math.max(4, Runtime.getRuntime().availableProcessors() * 2);
        this.ddQueue = new TaskQueue("proxy-ddl", DDL_WIDTH, maxTaskNum);
        this.dmQueue = new TaskQueue("proxy-dml", DML_WIDTH, maxTaskNum);
        this.dqQueue = new TaskQueue("proxy-dql", dqlWidth, maxTaskNum);
    }

    /** How many tasks of all queues may run at once: each occupies its request thread. */
    int width() {
        return DDL_WIDTH + DML_WIDTH + dqlWidth;
    }

    /** How many searches and queries may run at once. */
    int dqlWidth() {
        return dqlWidth;
    }

    void ddl(Runnable task) {
        ddQueue.submit(task);
    }

    void dml(Runnable task) {
        dmQueue.submit(task);
    }

    void dql(Runnable task) {
        dqQueue.submit(task);
    }

    /** Runs a write with its timestamp; no tick passes the timestamp before the write is done. */
    <T> T timestamped(LongFunction<T> write) {
        long ts = beginDml();
        try {
            return write.apply(ts);
        } finally {
            synchronized (this) {
                release(ts);
            }
        }
    }

    private long beginDml() {
        long placeholder;
        synchronized (this) {
            placeholder = largestSeen + 1;
            inFlightDml.merge(placeholder, 1, Integer::sum);
        }
        long ts;
        try {
            ts = tso.allocTimestamp();
        } catch (RuntimeException e) {
            synchronized (this) {
                release(placeholder);
            }
            throw e;
        }
        synchronized (this) {
            // ts > largestSeen as of the placeholder (the oracle is strictly increasing): the swap never lowers the minimum.
            release(placeholder);
            inFlightDml.merge(ts, 1, Integer::sum);
            largestSeen = Math.max(largestSeen, ts);
        }
        return ts;
    }

    private void release(long ts) {
        inFlightDml.computeIfPresent(ts, (k, n) -> n == 1 ? null : n - 1);
    }

    /**
     * The largest timestamp below which every DML task has been written. A DML registered before the
     * check holds the tick below its placeholder or timestamp; one registered after it gets a
     * timestamp above {@code now}, which the check recorded as seen.
     */
    long safeTickTs() {
        long now = tso.allocTimestamp();
        synchronized (this) {
            largestSeen = Math.max(largestSeen, now);
            return inFlightDml.isEmpty() ? now : Math.min(now, inFlightDml.firstKey() - 1);
        }
    }
}
