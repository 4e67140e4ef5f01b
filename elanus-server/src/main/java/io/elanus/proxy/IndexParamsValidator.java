package io.elanus.proxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.elanus.common.MilvusError;
import io.elanus.common.MilvusException;
import io.elanus.segment.FieldSchemas;
import io.elanus.vector.IndexSpec;
import io.elanus.vector.VectorIndexes;
import io.milvus.grpc.FieldSchema;
import io.milvus.grpc.KeyValuePair;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks CreateIndex parameters the way Milvus does (index type known and valid for the field's
 * type, metric valid for the vector type, build parameters in range, defaults filled in; the
 * vector engine owns those rules) and normalises them into {@code index_type} (AUTOINDEX
 * resolved), {@code metric_type} and {@code params} (JSON of the build parameters).
 */
final class IndexParamsValidator {
    private static final ObjectMapper JSON = new ObjectMapper();

    private IndexParamsValidator() {
    }

    /** The request's extra_params as one map; keys inside a "params" JSON object are lifted to the top level. */
    static Map<String, String> flatten(List<KeyValuePair> extra) {
        Map<String, String> out = new LinkedHashMap<>();
        for (KeyValuePair kv : extra) {
            if (kv.getKey().equals("params")) {
                out.putAll(SearchHandler.parseParams(kv.getValue()));
            } else {
                out.put(kv.getKey(), kv.getValue());
            }
        }
        return out;
    }

    static List<KeyValuePair> validate(FieldSchema field, Map<String, String> params) {
        if (!FieldSchemas.isVector(field.getDataType())) {
            throw new MilvusException(MilvusError.INDEX_NOT_SUPPORTED, "scalar field indexes are not supported yet (field "
                    + field.getName() + "): index type not supported");
        }
        IndexSpec spec = VectorIndexes.validate(field.getDataType(), FieldSchemas.dim(field), params);
        List<KeyValuePair> out = new ArrayList<>();
        out.add(kv("index_type", spec.indexType()));
        out.add(kv("metric_type", spec.metric().name()));
        try {
            out.add(kv("params", JSON.writeValueAsString(spec.buildParams())));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static KeyValuePair kv(String k, String v) {
        return KeyValuePair.newBuilder().setKey(k).setValue(v).build();
    }
}
