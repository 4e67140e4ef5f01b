package io.elanus.querycoord;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * When to try a failed piece of work again: after {@code base}, doubling with each failure up to
 * {@code max}, so a channel no node can take is retried without flooding the log. Loop thread only.
 */
final class Backoff {
    private record Failures(int count, long retryAtNanos) {
    }

    private final long baseNanos;
    private final long maxNanos;
    private final Map<String, Failures> failures = new HashMap<>();

    Backoff(Duration base, Duration max) {
        this.baseNanos = base.toNanos();
        this.maxNanos = max.toNanos();
    }

    boolean ready(String key, long nowNanos) {
        Failures f = failures.get(key);
        return f == null || nowNanos - f.retryAtNanos() >= 0;
    }

    void failed(String key, long nowNanos) {
        Failures f = failures.get(key);
        int count = f == null ? 1 : f.count() + 1;
        long delay = baseNanos << Math.min(count - 1, 20);
        failures.put(key, new Failures(count, nowNanos + Math.min(maxNanos, delay)));
    }

    void succeeded(String key) {
        failures.remove(key);
    }
}
