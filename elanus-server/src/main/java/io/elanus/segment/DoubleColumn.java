package io.elanus.segment;

import io.milvus.grpc.DataType;

import java.util.BitSet;

/** Float and Double fields, widened to double (exact for Float). A null row holds 0. */
public record DoubleColumn(DataType type, double[] values, BitSet nulls) implements Column {
    @Override
    public int size() {
        return values.length;
    }
}
