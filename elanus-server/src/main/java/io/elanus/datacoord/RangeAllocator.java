package io.elanus.datacoord;

import java.util.function.IntToLongFunction;
import java.util.function.LongSupplier;

/**
 * Hands out IDs or timestamps from ranges reserved at rootcoord, so that only one call in
 * {@code rangeSize} is remote. Rootcoord persists its allocators before it answers, so what is
 * left of a range at a crash is skipped after the restart, never handed out twice.
 *
 * <p>Timestamps age: with {@code maxAgeNanos} a range is given up once that old (by the local
 * clock), so what it hands out is at most that much older than a fresh timestamp.
 *
 * <p>Not thread-safe: owned by datacoord's state thread.
 */
final class RangeAllocator {
    private final IntToLongFunction reserve;
    private final int rangeSize;
    private final long maxAgeNanos;
    private final LongSupplier nanoClock;
    private long next;
    private long end;
    private long reservedAt;

    /**
     * @param reserve     reserves that many consecutive values; returns the first
     * @param maxAgeNanos how long a range stays usable; Long.MAX_VALUE for IDs
     */
    RangeAllocator(IntToLongFunction reserve, int rangeSize, long maxAgeNanos, LongSupplier nanoClock) {
        this.reserve = reserve;
        this.rangeSize = rangeSize;
        this.maxAgeNanos = maxAgeNanos;
        this.nanoClock = nanoClock;
    }

    long next() {
        long now = nanoClock.getAsLong();
        if (next == end || now - reservedAt > maxAgeNanos) {
            next = reserve.applyAsLong(rangeSize);
            end = next + rangeSize;
            reservedAt = now;
        }
        return next++;
    }
}
