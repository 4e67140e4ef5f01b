package io.elanus.common;

/** Milvus hybrid timestamps: physical milliseconds shifted left 18 bits, plus an 18-bit logical counter. */
public final class Tso {
    public static final int LOGICAL_BITS = 18;
    public static final long LOGICAL_MASK = (1L << LOGICAL_BITS) - 1;

    private Tso() {
    }

    public static long compose(long physicalMillis, long logical) {
        return (physicalMillis << LOGICAL_BITS) | (logical & LOGICAL_MASK);
    }

    public static long physicalMillis(long ts) {
        return ts >>> LOGICAL_BITS;
    }

    /** The timestamp {@code millis} milliseconds before {@code ts}. */
    public static long minusMillis(long ts, long millis) {
        return compose(Math.max(0, physicalMillis(ts) - millis), 0);
    }
}
