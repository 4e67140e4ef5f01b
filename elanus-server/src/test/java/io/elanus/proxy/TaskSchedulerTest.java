package io.elanus.proxy;

import io.elanus.api.RootCoordClient;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A time tick never passes a DML still to be written, even one whose timestamp the oracle has given
 * but the scheduler has not yet received; and asking the oracle holds no lock, so ticks go on while a
 * DML waits for its timestamp.
 */
class TaskSchedulerTest {
    /** A strictly increasing oracle whose answer to the first DML is held back until released. */
    private final AtomicLong clock = new AtomicLong(100);
    private final CountDownLatch dmlAsked = new CountDownLatch(1);
    private final CountDownLatch answerDml = new CountDownLatch(1);

    private final RootCoordClient tso = (RootCoordClient) java.lang.reflect.Proxy.newProxyInstance(
            RootCoordClient.class.getClassLoader(), new Class<?>[]{RootCoordClient.class}, (p, method, args) -> {
                if (!method.getName().equals("allocTimestamp")) {
                    throw new UnsupportedOperationException(method.getName());
                }
                long ts = clock.incrementAndGet();
                if (Thread.currentThread().getName().equals("dml") && dmlAsked.getCount() > 0) {
                    dmlAsked.countDown();
                    assertTrue(answerDml.await(30, TimeUnit.SECONDS));
                }
                return ts;
            });

    @Test
    void aTickTakenWhileADmlAwaitsItsTimestampStaysBelowThatTimestamp() throws Exception {
        TaskScheduler scheduler = new TaskScheduler(tso, 16);
        long before = scheduler.safeTickTs();
        AtomicLong written = new AtomicLong();
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch finishWrite = new CountDownLatch(1);
        Thread dml = Thread.ofPlatform().name("dml").start(() -> scheduler.timestamped(ts -> {
            written.set(ts);
            writing.countDown();
            try {
                assertTrue(finishWrite.await(30, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return null;
        }));
        assertTrue(dmlAsked.await(30, TimeUnit.SECONDS));
        // The oracle gave the DML its timestamp (before the tick's), which has not arrived yet: the tick must not pass
        // it, and must not wait for it either (no lock is held while the oracle is asked).
        AtomicLong whileAsking = new AtomicLong();
        Thread ticker = Thread.ofPlatform().start(() -> whileAsking.set(scheduler.safeTickTs()));
        ticker.join(30_000);
        assertFalse(ticker.isAlive(), "a tick waited for a DML's timestamp");
        assertTrue(whileAsking.get() <= before, "tick " + whileAsking + " while the DML awaits its timestamp");

        answerDml.countDown();
        assertTrue(writing.await(30, TimeUnit.SECONDS));
        long whileWriting = scheduler.safeTickTs();
        assertEquals(written.get() - 1, whileWriting, "a DML being written holds the tick just below its timestamp");

        finishWrite.countDown();
        dml.join(30_000);
        long after = scheduler.safeTickTs();
        assertEquals(clock.get(), after, "with nothing in flight the tick is now");
        assertTrue(whileAsking.get() < written.get(), "the tick taken meanwhile is below the DML's timestamp");
    }
}
