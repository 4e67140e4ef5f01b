package io.elanus.proxy;

import io.milvus.grpc.KeyValuePair;

import java.util.List;
import java.util.Optional;

/** Reading the key-value parameter lists Milvus uses everywhere (type_params, index params, search params, properties). */
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
}
