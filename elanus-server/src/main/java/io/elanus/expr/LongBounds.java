package io.elanus.expr;

import io.elanus.expr.plan.CmpOp;

/**
 * An integer comparison against a numeric constant as the closed range [lo, hi]: {@code x > 1.5}
 * is {@code x >= 2}, {@code x == 1.5} is empty. {@code !=} is the complement of [v, v].
 */
record LongBounds(long lo, long hi) {
    static final LongBounds ALL = new LongBounds(Long.MIN_VALUE, Long.MAX_VALUE);
    static final LongBounds EMPTY = new LongBounds(1, 0);

    static LongBounds of(CmpOp op, Number value) {
        if (value instanceof Long v) {
            return switch (op) {
                case EQ, NE -> new LongBounds(v, v);
                case LT -> v == Long.MIN_VALUE ? EMPTY : new LongBounds(Long.MIN_VALUE, v - 1);
                case LE -> new LongBounds(Long.MIN_VALUE, v);
                case GT -> v == Long.MAX_VALUE ? EMPTY : new LongBounds(v + 1, Long.MAX_VALUE);
                case GE -> new LongBounds(v, Long.MAX_VALUE);
            };
        }
        double d = value.doubleValue();
        if (Double.isNaN(d)) {
            return EMPTY;
        }
        return switch (op) {
            case EQ, NE -> d == Math.rint(d) ? fromDoubles(d, d) : EMPTY;
            case LT -> fromDoubles(Double.NEGATIVE_INFINITY, Math.ceil(d) - 1);
            case LE -> fromDoubles(Double.NEGATIVE_INFINITY, Math.floor(d));
            case GT -> fromDoubles(Math.floor(d) + 1, Double.POSITIVE_INFINITY);
            case GE -> fromDoubles(Math.ceil(d), Double.POSITIVE_INFINITY);
        };
    }

    private static LongBounds fromDoubles(double lo, double hi) {
        // 2^63 is the first double above Long.MAX_VALUE
        if (lo > hi || lo >= 0x1p63 || hi < -0x1p63) {
            return EMPTY;
        }
        long l = lo <= -0x1p63 ? Long.MIN_VALUE : (long) lo;
        long h = hi >= 0x1p63 ? Long.MAX_VALUE : (long) hi;
        return new LongBounds(l, h);
    }

    LongBounds intersect(LongBounds o) {
        long l = Math.max(lo, o.lo);
        long h = Math.min(hi, o.hi);
        return l > h ? EMPTY : new LongBounds(l, h);
    }
}
