package io.elanus.proxy;

import io.elanus.common.MilvusError;
import io.elanus.common.MilvusException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * One of the proxy's task queues (DDL, DML, DQL), run by the gRPC request threads themselves: at most
 * {@code width} tasks run at once; a task submitted while that many run waits in a queue of at most
 * {@code capacity}, and the next request thread that finishes a task runs it; beyond that the task is
 * refused with Milvus's error for a full proxy task queue ("too many concurrent requests, queue is
 * full", code 4, retriable). So a request runs on the thread it arrived on when there is room (no
 * hop to another pool), and no thread ever blocks waiting for another: a request thread either does
 * the work or leaves it queued and returns. Tasks deliver their own results (they reply to the client).
 */
final class TaskQueue {
    private static final Logger LOG = LoggerFactory.getLogger(TaskQueue.class);

    private final String name;
    private final int capacity;
    /** One permit per task that may run at once. */
    private final Semaphore running;
    private final BlockingQueue<Runnable> waiting;

    TaskQueue(String name, int width, int capacity) {
        this.name = name;
        this.capacity = capacity;
        this.running = new Semaphore(width);
        this.waiting = new ArrayBlockingQueue<>(capacity);
    }

    /**
     * Runs the task now, on this thread, when fewer than {@code width} run; queues it otherwise. Throws
     * the too-many-requests {@link MilvusException} (and runs nothing) when the queue is full.
     */
    void submit(Runnable task) {
        // A queued task runs on another thread: it takes the request's gRPC context (database header, deadline) along.
        Runnable inContext = io.grpc.Context.current().wrap(task);
        if (running.tryAcquire()) {
            runAndDrain(inContext);
            return;
        }
        if (!waiting.offer(inContext)) {
            throw MilvusException.withKey(MilvusError.SERVICE_TOO_MANY_REQUESTS, "limit", capacity);
        }
        // Every running task may have ended between the tryAcquire and the offer, each seeing an empty queue.
        if (running.tryAcquire()) {
            runAndDrain(null);
        }
    }

    /** Holding a permit: runs {@code first}, then queued tasks until none is left, then gives the permit back. */
    private void runAndDrain(Runnable first) {
        Runnable task = first;
        while (true) {
            if (task == null) {
                task = waiting.poll();
            }
            if (task != null) {
                try {
                    runOne(task);
                } catch (Error e) {
                    running.release();
                    throw e;
                }
                task = null;
                continue;
            }
            running.release();
            // A task queued after the poll, by a thread that found no permit, would wait for the next
            // submit: take it over if the permit just given back is still free.
            if (waiting.isEmpty() || !running.tryAcquire()) {
                return;
            }
        }
    }

    /** Tasks answer their own failures; one that throws anyway must not cost the queue its permit. Errors go on up. */
    private void runOne(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.error("a task of the {} queue failed", name, e);
        }
    }
}
