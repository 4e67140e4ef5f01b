package io.elanus.proxy;

import io.elanus.common.MilvusError;
import io.elanus.common.MilvusException;
import io.elanus.common.NamedThreads;
import io.elanus.api.RootCoordClient;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.LongFunction;

/**
 * The proxy's task scheduler (developer guide 5.5): a DDL queue executed strictly in arrival order
 * by one thread, and DML and DQL queues executed by pools for throughput. DML tasks take their
 * timestamp when enqueued, atomically with registering as in flight, so the time-tick sender can
 * promise that no DML with a smaller timestamp is still to be written ({@link #safeTickTs}).
 */
final class TaskScheduler implements AutoCloseable {
    private final RootCoordClient tso;
    private final ThreadPoolExecutor ddQueue;
    private final ThreadPoolExecutor dmQueue;
    private final ThreadPoolExecutor dqQueue;
    /** Timestamps of DML tasks enqueued but not finished -> how many share it. Guarded by {@code this}. */
    private final ConcurrentSkipListMap<Long, Integer> inFlightDml = new ConcurrentSkipListMap<>();

    TaskScheduler(RootCoordClient tso, int maxTaskNum) {
        this.tso = tso;
        this.ddQueue = pool("proxy-ddl", 1, maxTaskNum);
        this.dmQueue = pool("proxy-dml", 4, maxTaskNum);
        this.dqQueue = pool("proxy-dql", Math.max(4, Runtime.getRuntime().availableProcessors() * 2), maxTaskNum);
    }

    private static ThreadPoolExecutor pool(String name, int threads, int capacity) {
        return new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(capacity),
                NamedThreads.daemon(name));
    }

    <T> T ddl(Callable<T> task) {
        return await(submit(ddQueue, task));
    }

    <T> T dql(Callable<T> task) {
        return await(submit(dqQueue, task));
    }

    /** Runs a DML task with its timestamp, allocated at enqueue time. */
    <T> T dml(LongFunction<T> task) {
        long ts;
        synchronized (this) {
            ts = tso.allocTimestamp();
            inFlightDml.merge(ts, 1, Integer::sum);
        }
        try {
            return await(submit(dmQueue, () -> task.apply(ts)));
        } finally {
            synchronized (this) {
                inFlightDml.computeIfPresent(ts, (k, n) -> n == 1 ? null : n - 1);
            }
        }
    }

    /** The largest timestamp below which every DML task has been written (TaskDoneTest of the guide). */
    synchronized long safeTickTs() {
        long now = tso.allocTimestamp();
        return inFlightDml.isEmpty() ? now : inFlightDml.firstKey() - 1;
    }

    /** Tasks run with the caller's gRPC context, so request headers (the database name) stay visible. */
    private static <T> Future<T> submit(ThreadPoolExecutor queue, Callable<T> task) {
        try {
            return queue.submit(io.grpc.Context.current().wrap(task));
        } catch (RejectedExecutionException e) {
            throw new MilvusException(MilvusError.SERVICE_UNAVAILABLE, "task queue is full, please retry later");
        }
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MilvusException(MilvusError.SERVICE_UNAVAILABLE, "interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new RuntimeException(cause);
        }
    }

    @Override
    public void close() {
        ddQueue.shutdownNow();
        dmQueue.shutdownNow();
        dqQueue.shutdownNow();
    }
}
