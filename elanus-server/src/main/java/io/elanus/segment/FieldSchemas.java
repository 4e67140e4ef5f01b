package io.elanus.segment;

import io.milvus.grpc.CollectionSchema;
import io.milvus.grpc.DataType;
import io.milvus.grpc.FieldSchema;
import io.milvus.grpc.KeyValuePair;

/** Reads the type parameters Milvus keeps as strings in {@link FieldSchema#getTypeParamsList()}. */
public final class FieldSchemas {
    /** Name of the dynamic field Milvus adds when {@code enable_dynamic_field} is set. */
    public static final String DYNAMIC_FIELD_NAME = "$meta";

    private FieldSchemas() {
    }

    public static String typeParam(FieldSchema field, String key) {
        for (KeyValuePair kv : field.getTypeParamsList()) {
            if (kv.getKey().equals(key)) {
                return kv.getValue();
            }
        }
        return null;
    }

    /** The {@code dim} type parameter; 0 when absent (sparse vectors have none). */
    public static int dim(FieldSchema field) {
        return intParam(field, "dim", 0);
    }

    public static int maxLength(FieldSchema field) {
        return intParam(field, "max_length", Integer.MAX_VALUE);
    }

    public static int maxCapacity(FieldSchema field) {
        return intParam(field, "max_capacity", Integer.MAX_VALUE);
    }

    private static int intParam(FieldSchema field, String key, int absent) {
        String v = typeParam(field, key);
        if (v == null || v.isBlank()) {
            return absent;
        }
        return Integer.parseInt(v.trim());
    }

    public static boolean isVector(DataType type) {
        return switch (type) {
            case FloatVector, Float16Vector, BFloat16Vector, BinaryVector, Int8Vector, SparseFloatVector -> true;
            default -> false;
        };
    }

    public static boolean isDynamic(FieldSchema field) {
        return field.getIsDynamic();
    }

    public static FieldSchema primaryKey(CollectionSchema schema) {
        for (FieldSchema f : schema.getFieldsList()) {
            if (f.getIsPrimaryKey()) {
                return f;
            }
        }
        throw new IllegalArgumentException("schema " + schema.getName() + " has no primary key");
    }
}
