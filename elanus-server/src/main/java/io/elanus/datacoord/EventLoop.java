package io.elanus.datacoord;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * One thread that runs tasks in submission order, fed by a bounded queue (a submitter waits while
 * it is full). The thread owns whatever only its tasks touch. It is stopped by a flag, never by an
 * interrupt: an interrupt during a meta-store or WAL write would close their shared file channels.
 */
final class EventLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);
    private static final long POLL_MS = 100;

    private final String name;
    private final BlockingQueue<Runnable> queue;
    private final Thread thread;
    private volatile boolean running = true;

    EventLoop(String name, int capacity) {
        this.name = name;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = Thread.ofPlatform().name(name).daemon().start(this::loop);
    }

    /** True on the loop's own thread. */
    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Runs the task on the loop and returns its result; its exception is rethrown as is. Inline when already on the loop. */
    <T> T call(Callable<T> task) {
        if (inLoop()) {
            try {
                return task.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        FutureTask<T> f = new FutureTask<>(task);
        enqueue(f);
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (CancellationException e) {
            throw stopped();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(name + ": interrupted while waiting", e);
        }
    }

    void run(Runnable task) {
        call(() -> {
            task.run();
            return null;
        });
    }

    /** Queues the task without waiting for it; its failure is logged. */
    void post(Runnable task) {
        enqueue(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("{}: a task failed", name, e);
            }
        });
    }

    private void enqueue(Runnable task) {
        try {
            while (running) {
                if (queue.offer(task, POLL_MS, TimeUnit.MILLISECONDS)) {
                    // Queued while close() was draining: nobody would run it.
                    if (!running && queue.remove(task)) {
                        throw stopped();
                    }
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(name + ": interrupted while queueing", e);
        }
        throw stopped();
    }

    private IllegalStateException stopped() {
        return new IllegalStateException(name + " is stopped");
    }

    private void loop() {
        while (running) {
            Runnable task;
            try {
                task = queue.poll(POLL_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (task != null) {
                task.run();
            }
        }
    }

    /** Stops after the task running now; callers waiting on queued tasks get an exception. */
    @Override
    public void close() {
        running = false;
        if (!inLoop()) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Runnable r; (r = queue.poll()) != null; ) {
            if (r instanceof FutureTask<?> f) {
                f.cancel(false);
            }
        }
    }
}
