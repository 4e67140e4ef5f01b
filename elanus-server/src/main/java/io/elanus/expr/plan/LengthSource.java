package io.elanus.expr.plan;

import io.elanus.segment.Chunk;

/** {@code array_length(x)}: the element count of an Array row or a JSON array; missing when not an array. */
public record LengthSource(CellSource inner) implements CellSource {

    @Override
    public Reader bind(Chunk chunk) {
        Reader in = inner.bind(chunk);
        return (row, out) -> {
            if (!in.read(row, out)) {
                return false;
            }
            int n = out.elementCount();
            if (n < 0) {
                out.setMissing();
            } else {
                out.setLong(n);
            }
            return true;
        };
    }
}
