package io.elanus.rootcoord;

import io.elanus.common.Tso;
import io.elanus.storage.kv.MetaKv;

import java.nio.charset.StandardCharsets;

/**
 * The timestamp oracle. Hands out strictly increasing hybrid timestamps. To stay monotonic across
 * restarts it persists an upper bound of the physical time it may use ({@code tso/timestamp}) a
 * window ahead, and on start continues above the persisted bound.
 */
final class TsoAllocator {
    static final String KEY = "tso/timestamp";
    private static final long SAVE_WINDOW_MS = 3_000;

    private final MetaKv kv;
    private long physical;
    private long logical;
    private long persistedLimit;

    TsoAllocator(MetaKv kv) {
        this.kv = kv;
        long saved = kv.get(KEY).map(e -> Long.parseLong(new String(e.value(), StandardCharsets.UTF_8))).orElse(0L);
        this.physical = Math.max(System.currentTimeMillis(), saved + 1);
        this.logical = 0;
        persist(physical + SAVE_WINDOW_MS);
    }

    /** Allocates {@code count} consecutive timestamps; returns the last (the caller may use [last-count+1, last]). */
    synchronized long allocate(int count) {
        long nextPhysical = physical;
        long nextLogical = logical;
        long now = System.currentTimeMillis();
        if (now > nextPhysical) {
            nextPhysical = now;
            nextLogical = 0;
        }
        if (nextLogical + count > Tso.LOGICAL_MASK) {
            nextPhysical++;
            nextLogical = 0;
        }
        if (nextPhysical >= persistedLimit) {
            try {
                persist(nextPhysical + SAVE_WINDOW_MS);
            } catch (RuntimeException e) {
                // The bound cannot be saved (a full or read-only disk): go on below the saved bound, with
                // the physical part held at its last millisecond, so reads keep their timestamps and none
                // is handed out twice across a restart. Only once that millisecond is used up does it fail.
                long held = persistedLimit - 1;
                nextLogical = physical == held ? logical : 0;
                nextPhysical = held;
                if (nextLogical + count > Tso.LOGICAL_MASK) {
                    throw e;
                }
            }
        }
        physical = nextPhysical;
        logical = nextLogical + count;
        return Tso.compose(physical, logical);
    }

    private void persist(long limit) {
        kv.put(KEY, Long.toString(limit).getBytes(StandardCharsets.UTF_8));
        persistedLimit = limit;
    }
}
