package io.elanus.querycoord;

import io.elanus.api.QueryNodeClient;
import io.elanus.common.NamedThreads;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

/**
 * Runs querycoord's remote tasks on a bounded pool, at most one per vchannel at a time, so the work
 * on one channel (placement, hand-offs, index loads, release after a move) happens in the order the
 * loop decided it. The bookkeeping belongs to the loop thread; a task's outcome comes back as a loop
 * event, dropped if the loop abandoned the task meanwhile (a node it worked on died).
 */
final class ChannelTaskPool implements AutoCloseable {
    /** Channels placed at once; each may load many segments, so more would mostly compete for the same disks and heap. */
    private static final int THREADS = 4;
    /**
     * Tasks waiting for a thread. When it is full the loop starts nothing more and its next round
     * tries again: the checkers derive work from the state, so nothing is lost.
     */
    private static final int QUEUE = 64;

    /**
     * A task in flight: {@code node} is where it acts; {@code from} the node a move takes the channel
     * from, or null; {@code places} whether the channel is to be served by {@code node} once it is done.
     */
    record Running(long id, QueryNodeClient node, QueryNodeClient from, boolean places) {
        boolean involves(long nodeId) {
            return node.nodeId() == nodeId || (from != null && from.nodeId() == nodeId);
        }
    }

    /** Remote work; returns what to apply on the loop once it is done. */
    interface Work {
        Runnable run(long taskId) throws Exception;
    }

    private final ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE), NamedThreads.daemon("querycoord-task"));
    private final Predicate<Runnable> post;
    private final Map<String, Running> running = new HashMap<>();
    private long lastId;

    /** @param post queues an event on the loop (false once it is closed) */
    ChannelTaskPool(Predicate<Runnable> post) {
        this.post = post;
        pool.allowCoreThreadTimeOut(true);
    }

    boolean busy(String vchannel) {
        return running.containsKey(vchannel);
    }

    boolean idle() {
        return running.isEmpty();
    }

    /** Channels being placed on or moved to the node. */
    int arrivingAt(long nodeId) {
        return (int) running.values().stream().filter(r -> r.places() && r.node().nodeId() == nodeId).count();
    }

    /**
     * Starts work on the vchannel; false if the pool is full. On the loop, later: {@code onFailure}
     * with the work's failure, or the outcome it returned, unless the task was abandoned; then, in
     * every case, {@code finished} with the task's id.
     */
    boolean start(String vchannel, QueryNodeClient node, QueryNodeClient from, boolean places, Work work,
                  Consumer<Throwable> onFailure, LongConsumer finished) {
        Running r = new Running(++lastId, node, from, places);
        try {
            pool.execute(() -> {
                Runnable outcome;
                try {
                    outcome = work.run(r.id());
                } catch (Throwable t) {
                    if (t instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                    }
                    outcome = () -> onFailure.accept(t);
                }
                Runnable apply = outcome;
                post.test(() -> {
                    if (running.get(vchannel) == r) {
                        running.remove(vchannel);
                        apply.run();
                    }
                    finished.accept(r.id());
                });
            });
        } catch (RejectedExecutionException e) {
            return false;
        }
        // The outcome is applied on the loop, which is this thread: it cannot overtake this.
        running.put(vchannel, r);
        return true;
    }

    /**
     * Runs work that is not about one channel (releasing a collection everywhere), then posts
     * {@code then} on the loop, even if the work failed; false if the pool is full.
     */
    boolean startUntracked(Runnable work, Runnable then) {
        try {
            pool.execute(() -> {
                try {
                    work.run();
                } finally {
                    post.test(then);
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Frees the channels of tasks working on a node that died: their outcomes will be dropped. */
    void abandon(long nodeId) {
        running.values().removeIf(r -> r.involves(nodeId));
    }

    /** Lets tasks in flight finish (bounded); they see the querycoord stopping and end early where they wait. */
    @Override
    public void close() {
        pool.shutdown();
        try {
            pool.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
