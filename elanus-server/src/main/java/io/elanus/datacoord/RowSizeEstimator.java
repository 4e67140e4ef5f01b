package io.elanus.datacoord;

import io.elanus.segment.FieldSchemas;
import io.milvus.grpc.CollectionSchema;
import io.milvus.grpc.FieldSchema;

/** Estimates bytes per row from a schema, to turn dataCoord.segment.maxSize into a row capacity. */
final class RowSizeEstimator {
    private RowSizeEstimator() {
    }

    static long bytesPerRow(CollectionSchema schema) {
        long total = 16; // timestamp + row bookkeeping
        for (FieldSchema f : schema.getFieldsList()) {
            int dim = FieldSchemas.dim(f);
            total += switch (f.getDataType()) {
                case Bool, Int8 -> 1;
                case Int16 -> 2;
                case Int32, Float -> 4;
                case Int64, Double -> 8;
                case VarChar -> Math.min(FieldSchemas.maxLength(f), 256);
                case JSON, Array -> 256;
                case FloatVector -> 4L * dim;
                case Float16Vector, BFloat16Vector -> 2L * dim;
                case Int8Vector -> dim;
                case BinaryVector -> dim / 8;
                case SparseFloatVector -> 512;
                default -> 64;
            };
        }
        return total;
    }
}
