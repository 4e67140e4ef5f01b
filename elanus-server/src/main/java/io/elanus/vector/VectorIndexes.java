package io.elanus.vector;

import com.fasterxml.jackson.databind.JsonNode;
import io.elanus.common.MilvusException;
import io.elanus.segment.ByteVectorColumn;
import io.elanus.segment.Column;
import io.elanus.segment.SparseVectorColumn;
import io.milvus.grpc.DataType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Validation of Milvus index definitions, and building and loading of indexes. */
public final class VectorIndexes {
    private static final Set<DataType> FLOATS = EnumSet.of(DataType.FloatVector, DataType.Float16Vector, DataType.BFloat16Vector);
    private static final List<String> SPARSE_ALGOS = List.of("DAAT_MAXSCORE", "DAAT_WAND", "TAAT_NAIVE");

    private VectorIndexes() {
    }

    /**
     * Validates Milvus build params (index_type, metric_type, and the index's own keys, either flat
     * or inside a "params" JSON object) for the field type, filling in Milvus's defaults.
     *
     * @throws MilvusException invalid parameter, with the reason, for params Milvus refuses
     */
    public static IndexSpec validate(DataType fieldType, int dim, Map<String, String> params) {
        Map<String, String> p = flatten(params);
        String type = p.getOrDefault("index_type", "").trim().toUpperCase(Locale.ROOT);
        if (type.isEmpty()) {
            type = "AUTOINDEX";
        }
        String metricName = p.get("metric_type");
        MetricType metric = metricName == null || metricName.isBlank()
                ? MetricSupport.defaultMetric(fieldType) : MetricType.parse(metricName);
        Map<String, String> build = new LinkedHashMap<>();
        if (type.equals("AUTOINDEX")) {
            type = autoIndexType(fieldType);
            if (type.equals(HnswIndex.TYPE)) {
                p.putIfAbsent("M", "18");
                p.putIfAbsent("efConstruction", "240");
            }
        }
        switch (type) {
            case "FLAT" -> requireField(type, fieldType, FLOATS, DataType.Int8Vector);
            case "HNSW" -> {
                requireField(type, fieldType, FLOATS, DataType.Int8Vector);
                build.put("M", Integer.toString(Params.intParam(p, "M", 30, 2, 2048)));
                build.put("efConstruction", Integer.toString(Params.intParam(p, "efConstruction", 360, 1, Integer.MAX_VALUE)));
            }
            case "IVF_FLAT", "IVF_SQ8" -> {
                requireField(type, fieldType, FLOATS);
                build.put("nlist", Integer.toString(Params.intParam(p, "nlist", 128, 1, 65536)));
            }
            case "IVF_PQ" -> {
                requireField(type, fieldType, FLOATS);
                build.put("nlist", Integer.toString(Params.intParam(p, "nlist", 128, 1, 65536)));
                int m = Params.intParam(p, "m", defaultPqM(dim), 1, Math.max(1, dim));
                if (dim % m != 0) {
                    throw MilvusException.invalidParameter("The dimension of the vector (dim) should be a multiple of the number of subquantizers (m). Dimension:"
                            + dim + ", m:" + m);
                }
                build.put("m", Integer.toString(m));
                build.put("nbits", Integer.toString(Params.intParam(p, "nbits", 8, 1, 24)));
            }
            case "BIN_FLAT" -> requireField(type, fieldType, EnumSet.of(DataType.BinaryVector));
            case "BIN_IVF_FLAT" -> {
                requireField(type, fieldType, EnumSet.of(DataType.BinaryVector));
                build.put("nlist", Integer.toString(Params.intParam(p, "nlist", 128, 1, 65536)));
            }
            case "SPARSE_INVERTED_INDEX", "SPARSE_WAND" -> {
                requireField(type, fieldType, EnumSet.of(DataType.SparseFloatVector));
                String algo = p.getOrDefault("inverted_index_algo", type.equals("SPARSE_WAND") ? "DAAT_WAND" : "DAAT_MAXSCORE")
                        .trim().toUpperCase(Locale.ROOT);
                if (!SPARSE_ALGOS.contains(algo)) {
                    throw MilvusException.invalidParameter("inverted_index_algo should be one of " + SPARSE_ALGOS + ", got " + algo);
                }
                build.put("inverted_index_algo", algo);
                type = "SPARSE_INVERTED_INDEX";
            }
            default -> throw MilvusException.invalidParameter("invalid index type: " + p.get("index_type"));
        }
        MetricSupport.check(fieldType, metric);
        return new IndexSpec(type, metric, fieldType, dim, build);
    }

    /**
     * Milvus's proxy check of range-search params ({@code radius}, {@code range_filter}) for the metric, made before
     * any segment is searched so that an empty collection refuses them too.
     *
     * @throws MilvusException invalid parameter, with Milvus's reason
     */
    public static void checkRangeSearch(MetricType metric, Map<String, String> searchParams) {
        CostRange.parse(metric, searchParams);
    }

    /** Builds the index over every row of {@code column} (rows with a null vector are left out). */
    public static VectorIndex build(IndexSpec spec, Column column) {
        if (column.type() != spec.fieldType()) {
            throw new IllegalArgumentException("index spec is for " + spec.fieldType() + " but the column is " + column.type());
        }
        return switch (spec.indexType()) {
            case HnswIndex.TYPE -> HnswIndex.build(spec, DenseInput.of(column, spec.metric()));
            case "IVF_FLAT", "IVF_SQ8", "IVF_PQ" -> IvfIndex.build(spec, DenseInput.of(column, spec.metric()));
            case FlatIndex.TYPE -> FlatIndex.build(spec, DenseInput.of(column, spec.metric()));
            case SparseInvertedIndex.TYPE -> SparseInvertedIndex.build(spec, (SparseVectorColumn) column);
            case "BIN_FLAT", "BIN_IVF_FLAT" -> BinaryIvfIndex.build(spec, (ByteVectorColumn) column);
            default -> throw new IllegalArgumentException("invalid index type: " + spec.indexType());
        };
    }

    /** Memory-maps an index file; a wrong checksum or malformed content is an IOException. */
    public static VectorIndex load(Path file) throws IOException {
        return IndexFiles.load(file);
    }

    static String autoIndexType(DataType fieldType) {
        return switch (fieldType) {
            case BinaryVector -> "BIN_IVF_FLAT";
            case SparseFloatVector -> "SPARSE_INVERTED_INDEX";
            default -> HnswIndex.TYPE;
        };
    }

    private static int defaultPqM(int dim) {
        for (int m = Math.max(1, dim / 4); m > 1; m--) {
            if (dim % m == 0) {
                return m;
            }
        }
        return 1;
    }

    private static void requireField(String indexType, DataType fieldType, Set<DataType> allowed, DataType... more) {
        if (!allowed.contains(fieldType) && !List.of(more).contains(fieldType)) {
            throw MilvusException.invalidParameter("data type " + fieldType + " can't build with this index " + indexType);
        }
    }

    /** The flat key/value params with any "params" JSON object merged in (its keys win). */
    private static Map<String, String> flatten(Map<String, String> params) {
        Map<String, String> out = new LinkedHashMap<>(params);
        String nested = out.remove("params");
        if (nested != null && !nested.isBlank()) {
            try {
                JsonNode node = IndexFile.JSON.readTree(nested);
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    out.put(e.getKey(), e.getValue().asText());
                }
            } catch (IOException e) {
                throw MilvusException.invalidParameter("params is not valid JSON: " + nested);
            }
        }
        return out;
    }
}
