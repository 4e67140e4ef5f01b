package io.elanus.expr.plan;

import io.elanus.segment.BoolColumn;
import io.elanus.segment.Chunk;
import io.elanus.segment.Column;
import io.elanus.segment.DoubleColumn;
import io.elanus.segment.LongColumn;
import io.elanus.segment.StringColumn;

/** A plain Bool/Int/Float/Double/VarChar column read cell by cell (arithmetic, field-vs-field). */
public record ScalarColumnSource(long fieldId) implements CellSource {

    @Override
    public Reader bind(Chunk chunk) {
        Column c = ColumnAccess.column(chunk, fieldId);
        return switch (c) {
            case LongColumn col -> (row, out) -> {
                if (col.isNull(row)) return false;
                out.setLong(col.values()[row]);
                return true;
            };
            case DoubleColumn col -> (row, out) -> {
                if (col.isNull(row)) return false;
                out.setDouble(col.values()[row]);
                return true;
            };
            case StringColumn col -> (row, out) -> {
                if (col.isNull(row) || col.values()[row] == null) return false;
                out.setString(col.values()[row]);
                return true;
            };
            case BoolColumn col -> (row, out) -> {
                if (col.isNull(row)) return false;
                out.setBool(col.values()[row]);
                return true;
            };
            case null, default -> (row, out) -> false;
        };
    }
}
