package io.elanus.segment;

import io.milvus.grpc.DataType;

import java.util.BitSet;

/**
 * BinaryVector (dim bits, {@code dim / 8} bytes a row) and Int8Vector (dim signed bytes a row)
 * fields, row-major in one {@code byte[]}.
 */
public record ByteVectorColumn(DataType type, int dim, byte[] data, BitSet nulls) implements Column {
    public int bytesPerRow() {
        return type == DataType.BinaryVector ? dim / 8 : dim;
    }

    @Override
    public int size() {
        int b = bytesPerRow();
        return b == 0 ? 0 : data.length / b;
    }
}
