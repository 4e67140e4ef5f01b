package io.elanus.segment;

import io.milvus.grpc.DataType;

import java.util.BitSet;

/**
 * FloatVector, Float16Vector and BFloat16Vector fields, row-major in one {@code float[]} of
 * {@code size * dim} values (half-precision inputs are widened exactly, so they narrow back
 * losslessly for output). A null row holds zeros.
 */
public record FloatVectorColumn(DataType type, int dim, float[] data, BitSet nulls) implements Column {
    @Override
    public int size() {
        return dim == 0 ? 0 : data.length / dim;
    }

    public int offset(int row) {
        return row * dim;
    }
}
