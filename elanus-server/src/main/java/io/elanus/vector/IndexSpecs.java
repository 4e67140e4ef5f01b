package io.elanus.vector;

import io.elanus.proto.IndexMeta;
import io.elanus.segment.FieldSchemas;
import io.elanus.vector.IndexSpec;
import io.elanus.vector.VectorIndexes;
import io.milvus.grpc.FieldSchema;
import io.milvus.grpc.KeyValuePair;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Turns stored index metadata (normalised by the proxy) back into a build spec. */
public final class IndexSpecs {
    /** Exact indexes: the raw vectors are searched directly, nothing to build. */
    private static final Set<String> EXACT = Set.of("FLAT", "BIN_FLAT");

    private IndexSpecs() {
    }

    public static boolean needsBuild(IndexMeta index) {
        return !EXACT.contains(param(index, "index_type"));
    }

    public static IndexSpec specOf(IndexMeta index, FieldSchema field) {
        Map<String, String> params = new LinkedHashMap<>();
        for (KeyValuePair kv : index.getIndexParamsList()) {
            params.put(kv.getKey(), kv.getValue());
        }
        return VectorIndexes.validate(field.getDataType(), FieldSchemas.dim(field), params);
    }

    private static String param(IndexMeta index, String key) {
        for (KeyValuePair kv : index.getIndexParamsList()) {
            if (kv.getKey().equals(key)) {
                return kv.getValue();
            }
        }
        return "";
    }
}
