package io.elanus.expr.plan;

/** Open-addressing set of longs for {@code in} lists: membership without boxing. */
final class LongHashSet {
    private final long[] slots;
    private final boolean[] used;
    private final int mask;

    LongHashSet(long[] values) {
        int cap = Integer.highestOneBit(Math.max(4, values.length * 2 + 1)) << 1;
        slots = new long[cap];
        used = new boolean[cap];
        mask = cap - 1;
        for (long v : values) {
            int i = index(v);
            while (used[i] && slots[i] != v) {
                i = (i + 1) & mask;
            }
            slots[i] = v;
            used[i] = true;
        }
    }

    private int index(long v) {
        long h = v * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    boolean contains(long v) {
        int i = index(v);
        while (used[i]) {
            if (slots[i] == v) {
                return true;
            }
            i = (i + 1) & mask;
        }
        return false;
    }
}
