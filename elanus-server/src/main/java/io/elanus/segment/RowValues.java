package io.elanus.segment;

import java.util.Arrays;

/**
 * One row's value of a column copied out as a plain Java value that shares no array with the
 * column, for results that outlive the lock under which the column was read. The forms, by field
 * type (null for a null row):
 * <ul>
 *   <li>Bool: {@code Boolean}; Int8/16/32/64: {@code Long}; Float/Double: {@code Double} (exact for Float);
 *       VarChar: {@code String};</li>
 *   <li>JSON (the dynamic field too): {@code byte[]}, the document's UTF-8 bytes as stored;</li>
 *   <li>Array: {@code boolean[]}, {@code long[]}, {@code double[]} or {@code String[]} by element type;</li>
 *   <li>Float/Float16/BFloat16 vectors: {@code float[]} of dim values (half precision widened exactly);
 *       Binary and Int8 vectors: {@code byte[]}, the row's bytes; SparseFloatVector: {@code byte[]},
 *       Milvus's wire form of the row (see {@link SparseRows}).</li>
 * </ul>
 * {@link FieldDataBuilder#appendValue} turns such a value into exactly what
 * {@link FieldDataBuilder#append} makes of the row it was copied from.
 */
public final class RowValues {
    private static final byte[] NO_BYTES = new byte[0];

    private RowValues() {
    }

    public static Object copy(Column column, int row) {
        if (column.isNull(row)) {
            return null;
        }
        return switch (column) {
            case BoolColumn c -> Boolean.valueOf(c.values()[row]);
            case LongColumn c -> Long.valueOf(c.values()[row]);
            case DoubleColumn c -> Double.valueOf(c.values()[row]);
            case StringColumn c -> c.values()[row];
            case JsonColumn c -> {
                byte[] raw = c.raw(row);
                yield raw == null ? NO_BYTES.clone() : raw.clone();
            }
            case ArrayColumn c -> copyArray(c.rows()[row]);
            case FloatVectorColumn c -> Arrays.copyOfRange(c.data(), c.offset(row), c.offset(row) + c.dim());
            case ByteVectorColumn c -> Arrays.copyOfRange(c.data(), row * c.bytesPerRow(), (row + 1) * c.bytesPerRow());
            case SparseVectorColumn c -> SparseRows.encode(c.indices()[row], c.values()[row]).toByteArray();
        };
    }

    private static Object copyArray(Object row) {
        return switch (row) {
            case null -> null;
            case boolean[] a -> a.clone();
            case long[] a -> a.clone();
            case double[] a -> a.clone();
            case String[] a -> a.clone();
            default -> throw new IllegalStateException("unexpected array row " + row.getClass());
        };
    }
}
