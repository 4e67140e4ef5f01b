package io.elanus.segment;

import io.milvus.grpc.DataType;

import java.util.BitSet;

/**
 * Array fields. Each row is a primitive array matching the element type: {@code boolean[]} for Bool,
 * {@code long[]} for Int8..Int64, {@code double[]} for Float/Double, {@code String[]} for VarChar;
 * null for a null row.
 */
public record ArrayColumn(DataType elementType, Object[] rows, BitSet nulls) implements Column {
    @Override
    public DataType type() {
        return DataType.Array;
    }

    @Override
    public int size() {
        return rows.length;
    }

    /** Number of elements in a row (0 for null). */
    public int length(int row) {
        Object r = rows[row];
        return switch (r) {
            case null -> 0;
            case boolean[] a -> a.length;
            case long[] a -> a.length;
            case double[] a -> a.length;
            case String[] a -> a.length;
            default -> throw new IllegalStateException("unexpected array row " + r.getClass());
        };
    }
}
