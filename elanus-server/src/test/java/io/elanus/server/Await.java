package io.elanus.server;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/** Poll-until for tests: waits for a condition instead of sleeping a fixed time (reliable on a loaded machine). */
public final class Await {
    private Await() {
    }

    /** Polls {@code condition} until it holds; fails naming {@code what} once {@code patience} has passed. */
    public static void until(BooleanSupplier condition, Duration patience, String what) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail(what + " within " + patience.toSeconds() + " s");
            }
            Thread.sleep(20);
        }
    }
}
