package io.elanus.proxy;

import io.elanus.common.MilvusError;
import io.elanus.common.MilvusException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A task queue runs a task on the thread that submits it when there is room, queues it otherwise (to
 * be run by the thread that frees a place), refuses it with Milvus's queue-full error beyond its
 * capacity, and never leaves a queued task behind.
 */
class TaskQueueTest {

    @Test
    void withRoomATaskRunsOnTheSubmittingThread() {
        TaskQueue queue = new TaskQueue("test", 2, 4);
        List<Thread> ranOn = new CopyOnWriteArrayList<>();
        queue.submit(() -> ranOn.add(Thread.currentThread()));
        assertEquals(List.of(Thread.currentThread()), ranOn);
    }

    @Test
    void aFullQueueWaitsThenRefusesAndTheThreadThatFreesAPlaceRunsTheWaitingTask() throws Exception {
        TaskQueue queue = new TaskQueue("test", 1, 1);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> ran = new CopyOnWriteArrayList<>();
        Thread first = Thread.ofPlatform().name("first").start(() -> queue.submit(() -> {
            running.countDown();
            await(release);
            ran.add("first on " + Thread.currentThread().getName());
        }));
        assertTrue(running.await(30, TimeUnit.SECONDS));

        queue.submit(() -> ran.add("second on " + Thread.currentThread().getName()));
        assertEquals(List.of(), ran, "the second task waits: the only place is taken");
        MilvusException full = assertThrows(MilvusException.class, () -> queue.submit(() -> ran.add("third")));
        assertEquals(MilvusError.SERVICE_TOO_MANY_REQUESTS, full.kind());
        assertEquals("too many concurrent requests, queue is full[limit=1]", full.getMessage());

        release.countDown();
        first.join(30_000);
        assertEquals(List.of("first on first", "second on first"), ran, "the thread that finished ran the waiting task");
    }

    /** Many threads submitting at once: every task runs, never more than the width at a time. */
    @Test
    void underContentionEveryTaskRunsAndNoMoreThanTheWidthAtOnce() throws Exception {
        int width = 2;
        int threads = 8;
        int perThread = 2_000;
        TaskQueue queue = new TaskQueue("test", width, threads * perThread);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(threads * perThread);
        List<Thread> submitters = new CopyOnWriteArrayList<>();
        for (int t = 0; t < threads; t++) {
            submitters.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perThread; i++) {
                    queue.submit(() -> {
                        mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                        Thread.onSpinWait();
                        running.decrementAndGet();
                        done.countDown();
                    });
                }
            }));
        }
        for (Thread t : submitters) {
            t.join(60_000);
        }
        assertTrue(done.await(60, TimeUnit.SECONDS), done.getCount() + " tasks were left in the queue");
        assertTrue(mostAtOnce.get() <= width, mostAtOnce.get() + " tasks ran at once");
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(30, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
