package io.elanus.expr.plan;

import io.elanus.segment.Chunk;

/**
 * {@code x op c}: integer arithmetic when both sides are integers (except {@code **}), floating
 * point otherwise; a non-numeric value (a JSON string, a missing key) reads as missing.
 */
public record ArithSource(CellSource inner, ArithOp op, Object constant) implements CellSource {

    @Override
    public Reader bind(Chunk chunk) {
        Reader in = inner.bind(chunk);
        boolean longConstant = constant instanceof Long;
        long lc = longConstant ? (Long) constant : 0;
        double dc = ((Number) constant).doubleValue();
        boolean integral = longConstant && op != ArithOp.POW;
        return (row, out) -> {
            if (!in.read(row, out)) {
                return false;
            }
            switch (out.kind) {
                case LONG -> {
                    if (integral) {
                        out.setLong(op.apply(out.longValue, lc));
                    } else {
                        out.setDouble(op.apply((double) out.longValue, dc));
                    }
                }
                case DOUBLE -> out.setDouble(op.apply(out.doubleValue, dc));
                default -> out.setMissing();
            }
            return true;
        };
    }
}
