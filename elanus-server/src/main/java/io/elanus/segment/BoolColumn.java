package io.elanus.segment;

import io.milvus.grpc.DataType;

import java.util.BitSet;

public record BoolColumn(boolean[] values, BitSet nulls) implements Column {
    @Override
    public DataType type() {
        return DataType.Bool;
    }

    @Override
    public int size() {
        return values.length;
    }
}
