package io.elanus.segment;

import io.milvus.grpc.DataType;

import java.util.BitSet;

/**
 * One field's values for the rows of a {@link Chunk}, held in primitive arrays. Columns are
 * immutable once built and may be read by any number of threads.
 */
public sealed interface Column
        permits BoolColumn, LongColumn, DoubleColumn, StringColumn, JsonColumn, ArrayColumn,
        FloatVectorColumn, ByteVectorColumn, SparseVectorColumn {

    DataType type();

    int size();

    /** Rows whose value is null (Milvus's {@code valid_data} inverted); empty when the field has no nulls. */
    BitSet nulls();

    default boolean isNull(int row) {
        return nulls().get(row);
    }
}
