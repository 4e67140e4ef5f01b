package io.elanus.querycoord;

import io.elanus.common.MilvusError;
import io.elanus.common.MilvusException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The one thread that owns querycoord's state. Events (API calls, query nodes joining and leaving,
 * segment events, outcomes of remote tasks) wait in a bounded queue and run one at a time on it;
 * after each batch of events, and at least every {@code tick}, the {@code round} runs (Milvus's
 * checkers, then publication of the readers' view).
 * <p>
 * Producers block while the queue is full: back-pressure lands on callers, never on the loop, which
 * never waits for a producer: it hands remote work to the task pool and hears of its outcome as one
 * more event.
 */
final class ReconcileLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReconcileLoop.class);

    private final BlockingQueue<Runnable> events;
    private final Duration tick;
    private final Runnable round;
    /** Futures of callers waiting for an event: failed on close, so no caller waits for a loop that is gone. */
    private final Set<CompletableFuture<?>> awaited = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean closed;

    ReconcileLoop(String name, int capacity, Duration tick, Runnable round) {
        this.events = new ArrayBlockingQueue<>(capacity);
        this.tick = tick;
        this.round = round;
        this.thread = Thread.ofPlatform().daemon().name(name).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** Queues an event, waiting while the queue is full; returns false (dropping it) once the loop is closed. */
    boolean post(Runnable event) {
        if (Thread.currentThread() == thread) {
            throw new IllegalStateException("the loop must not post to itself: it could wait for its own queue");
        }
        try {
            while (!closed) {
                if (events.offer(event, 100, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /**
     * Queues an event that completes the returned future (possibly in a later round); the event's
     * failure fails it, and so does closing the loop before it completes.
     */
    <T> CompletableFuture<T> call(Consumer<CompletableFuture<T>> event) {
        CompletableFuture<T> done = new CompletableFuture<>();
        awaited.add(done);
        done.whenComplete((r, e) -> awaited.remove(done));
        boolean queued = post(() -> {
            try {
                event.accept(done);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        if (!queued || closed) {
            done.completeExceptionally(stopping());
        }
        return done;
    }

    /** Waits for a {@link #call}'s result, rethrowing its failure as thrown by the event. */
    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    private void run() {
        List<Runnable> batch = new ArrayList<>();
        while (!closed) {
            try {
                Runnable first = events.poll(tick.toMillis(), TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    events.drainTo(batch);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            for (Runnable event : batch) {
                runQuietly(event);
            }
            batch.clear();
            if (!closed) {
                runQuietly(round);
            }
        }
    }

    private static void runQuietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            // The loop must outlive any one event: it owns all of querycoord's state.
            LOG.error("querycoord event failed", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        // Not interrupted: the loop may be writing the meta store, whose files an interrupt would close.
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        events.clear();
        List.copyOf(awaited).forEach(f -> f.completeExceptionally(stopping()));
    }

    private static MilvusException stopping() {
        return new MilvusException(MilvusError.SERVICE_NOT_READY, "querycoord is stopping");
    }
}
