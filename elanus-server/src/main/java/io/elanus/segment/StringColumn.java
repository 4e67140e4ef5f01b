package io.elanus.segment;

import io.milvus.grpc.DataType;

import java.util.BitSet;

/** VarChar fields. A null row holds null. */
public record StringColumn(String[] values, BitSet nulls) implements Column {
    @Override
    public DataType type() {
        return DataType.VarChar;
    }

    @Override
    public int size() {
        return values.length;
    }
}
