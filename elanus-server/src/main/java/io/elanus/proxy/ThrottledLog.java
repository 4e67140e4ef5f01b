package io.elanus.proxy;

import org.slf4j.Logger;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A warning that bad input can trigger at any rate: at most one line per interval, carrying the
 * number of occurrences it stood for since the previous line. Lock-free; any thread may call it.
 */
final class ThrottledLog {
    private final Logger log;
    private final long intervalNanos;
    private final LongSupplier clock;
    private final AtomicLong nextLineAt;
    private final AtomicLong suppressed = new AtomicLong();

    ThrottledLog(Logger log, long intervalNanos, LongSupplier clock) {
        this.log = log;
        this.intervalNanos = intervalNanos;
        this.clock = clock;
        this.nextLineAt = new AtomicLong(clock.getAsLong());
    }

    /** Logs {@code message} now if the interval has passed since the last line, otherwise only counts it. */
    void warn(String message) {
        long now = clock.getAsLong();
        long due = nextLineAt.get();
        if (now - due >= 0 && nextLineAt.compareAndSet(due, now + intervalNanos)) {
            long others = suppressed.getAndSet(0);
            log.warn(others == 0 ? message
                    : message + " (and " + others + " more like it since the last report)");
        } else {
            suppressed.incrementAndGet();
        }
    }
}
