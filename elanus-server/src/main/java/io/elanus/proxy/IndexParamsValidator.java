package io.elanus.proxy;

import io.elanus.common.MilvusError;
import io.elanus.common.MilvusException;
import io.elanus.segment.FieldSchemas;
import io.milvus.grpc.DataType;
import io.milvus.grpc.FieldSchema;
import io.milvus.grpc.KeyValuePair;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks CreateIndex parameters the way Milvus does (index type known and valid for the field's
 * type, metric valid for the vector type, defaults filled in) and normalises them into
 * {@code index_type}, {@code metric_type} and {@code params} (JSON). Index types Elanus cannot
 * build yet are refused with a "not supported" error rather than silently replaced.
 */
final class IndexParamsValidator {
    /** Exact indexes: the raw vectors are searched directly, nothing to build. */
    private static final Set<String> EXACT = Set.of("FLAT", "BIN_FLAT");
    private static final Set<String> FLOAT_METRICS = Set.of("L2", "IP", "COSINE");
    private static final Set<String> BINARY_METRICS = Set.of("HAMMING", "JACCARD");
    private static final Set<String> SPARSE_METRICS = Set.of("IP");

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
        DataType type = field.getDataType();
        if (!FieldSchemas.isVector(type)) {
            throw new MilvusException(MilvusError.INDEX_NOT_SUPPORTED, "scalar field indexes are not supported yet (field "
                    + field.getName() + "): index type not supported");
        }
        String indexType = params.getOrDefault("index_type", "AUTOINDEX").trim().toUpperCase(Locale.ROOT);
        if (indexType.isEmpty()) {
            indexType = "AUTOINDEX";
        }
        Set<String> metrics = switch (type) {
            case BinaryVector -> BINARY_METRICS;
            case SparseFloatVector -> SPARSE_METRICS;
            default -> FLOAT_METRICS;
        };
        String defaultMetric = switch (type) {
            case BinaryVector -> "HAMMING";
            case SparseFloatVector -> "IP";
            default -> "COSINE";
        };
        String metric = params.getOrDefault("metric_type", defaultMetric).trim().toUpperCase(Locale.ROOT);
        if (metric.isEmpty()) {
            metric = defaultMetric;
        }
        if (!metrics.contains(metric)) {
            throw MilvusException.invalidParameter("metric type " + metric + " not found or not supported, supported: "
                    + metrics.stream().sorted().toList());
        }
        String effective = switch (indexType) {
            case "AUTOINDEX" -> type == DataType.BinaryVector ? "BIN_FLAT" : "FLAT";
            case "FLAT" -> {
                if (type == DataType.BinaryVector) {
                    throw MilvusException.invalidParameter("binary vector index does not support index type: FLAT, use BIN_FLAT");
                }
                if (type == DataType.SparseFloatVector) {
                    throw MilvusException.invalidParameter("sparse vector index does not support index type: FLAT");
                }
                yield "FLAT";
            }
            case "BIN_FLAT" -> {
                if (type != DataType.BinaryVector) {
                    throw MilvusException.invalidParameter("float vector index does not support index type: BIN_FLAT");
                }
                yield "BIN_FLAT";
            }
            case "IVF_FLAT", "IVF_SQ8", "IVF_PQ", "HNSW", "HNSW_SQ", "HNSW_PQ", "HNSW_PRQ", "DISKANN", "SCANN", "IVF_RABITQ",
                 "BIN_IVF_FLAT", "SPARSE_INVERTED_INDEX", "SPARSE_WAND", "GPU_CAGRA", "GPU_IVF_FLAT", "GPU_IVF_PQ",
                 "GPU_BRUTE_FORCE", "AISAQ", "MINHASH_LSH" -> throw new MilvusException(MilvusError.INDEX_NOT_SUPPORTED,
                    "index type " + indexType + " is not supported by this Elanus build yet: index type not supported");
            default -> throw MilvusException.invalidParameter("invalid index type: " + indexType);
        };
        if (type == DataType.SparseFloatVector && "FLAT".equals(effective)) {
            effective = "SPARSE_FLAT";
        }
        List<KeyValuePair> out = new ArrayList<>();
        out.add(kv("index_type", effective));
        out.add(kv("metric_type", metric));
        return out;
    }

    static boolean needsBuild(List<KeyValuePair> normalized) {
        String t = TypeParams.get(normalized, "index_type").orElse("FLAT");
        return !EXACT.contains(t) && !t.equals("SPARSE_FLAT");
    }

    private static KeyValuePair kv(String k, String v) {
        return KeyValuePair.newBuilder().setKey(k).setValue(v).build();
    }
}
