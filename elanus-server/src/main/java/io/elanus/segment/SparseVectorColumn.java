package io.elanus.segment;

import io.milvus.grpc.DataType;

import java.util.BitSet;

/** SparseFloatVector fields: per row, ascending indices and their values. */
public record SparseVectorColumn(int[][] indices, float[][] values, BitSet nulls) implements Column {
    @Override
    public DataType type() {
        return DataType.SparseFloatVector;
    }

    @Override
    public int size() {
        return indices.length;
    }
}
