package io.elanus.proxy;

import io.milvus.grpc.DataType;
import io.milvus.grpc.FieldSchema;
import io.milvus.grpc.KeyValuePair;

import java.util.List;
import java.util.Optional;

/** Reading the key-value parameter lists Milvus uses everywhere (type_params, index params, search params). */
public final class TypeParams {
    private TypeParams() {
    }

    public static Optional<String> get(List<KeyValuePair> kvs, String key) {
        for (KeyValuePair kv : kvs) {
            if (kv.getKey().equals(key)) {
                return Optional.of(kv.getValue());
            }
        }
        return Optional.empty();
    }

    public static int dim(FieldSchema f) {
        return get(f.getTypeParamsList(), "dim").map(Integer::parseInt).orElse(0);
    }

    public static boolean isVector(DataType t) {
        return switch (t) {
            case FloatVector, BinaryVector, Float16Vector, BFloat16Vector, SparseFloatVector, Int8Vector -> true;
            default -> false;
        };
    }
}
