package io.elanus.expr.plan;

import io.elanus.segment.Chunk;
import io.elanus.segment.Column;

import java.util.BitSet;

/** Column lookup tolerant of chunks written before a field existed: such a column reads as all null. */
final class ColumnAccess {
    private ColumnAccess() {
    }

    static Column column(Chunk chunk, long fieldId) {
        return chunk.columns().get(fieldId);
    }

    static BitSet allRows(int rowCount) {
        BitSet b = new BitSet(rowCount);
        b.set(0, rowCount);
        return b;
    }
}
