package io.elanus.expr.plan;

import io.elanus.segment.ArrayColumn;
import io.elanus.segment.Chunk;

/**
 * An Array field: the whole row (index &lt; 0) or one element of it ({@code a[0]}); an index past
 * the end reads as {@link Cell.Kind#MISSING}, a null row is unknown.
 */
public record ArrayColumnSource(long fieldId, int index) implements CellSource {

    @Override
    public Reader bind(Chunk chunk) {
        if (!(ColumnAccess.column(chunk, fieldId) instanceof ArrayColumn col)) {
            return (row, out) -> false;
        }
        Object[] rows = col.rows();
        if (index < 0) {
            return (row, out) -> {
                if (col.isNull(row) || rows[row] == null) {
                    return false;
                }
                out.setArray(rows[row]);
                return true;
            };
        }
        Cell whole = new Cell();
        return (row, out) -> {
            if (col.isNull(row) || rows[row] == null) {
                return false;
            }
            whole.setArray(rows[row]);
            if (!out.loadElement(whole, index)) {
                out.setMissing();
            }
            return true;
        };
    }
}
