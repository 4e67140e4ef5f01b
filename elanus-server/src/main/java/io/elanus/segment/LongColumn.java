package io.elanus.segment;

import io.milvus.grpc.DataType;

import java.util.BitSet;

/** Int8, Int16, Int32 and Int64 fields, widened to long (a null row holds 0). */
public record LongColumn(DataType type, long[] values, BitSet nulls) implements Column {
    @Override
    public int size() {
        return values.length;
    }
}
