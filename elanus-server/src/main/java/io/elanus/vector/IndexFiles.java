package io.elanus.vector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.elanus.common.MilvusException;
import io.milvus.grpc.DataType;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** The common header of index files (the spec and row mapping) and dispatch of loading by index type. */
final class IndexFiles {
    private IndexFiles() {
    }

    static void write(OutputStream out, IndexSpec spec, NodeRows nodes, ObjectNode meta,
                      Map<String, MemorySegment> sections) throws IOException {
        ObjectNode header = IndexFile.JSON.createObjectNode();
        header.put("format", "elanus-vector-index");
        header.put("index_type", spec.indexType());
        header.put("metric_type", spec.metric().name());
        header.put("field_type", spec.fieldType().name());
        header.put("dim", spec.dim());
        header.put("column_size", nodes.columnSize());
        ObjectNode params = header.putObject("build_params");
        spec.buildParams().forEach(params::put);
        header.set("meta", meta);
        Map<String, MemorySegment> all = new LinkedHashMap<>(sections);
        all.putIfAbsent("rows", OffHeap.ints(nodes.rowOfNode()));
        IndexFile.write(out, header, all);
    }

    static VectorIndex load(Path path) throws IOException {
        IndexFile file = IndexFile.load(path);
        JsonNode h = file.header();
        IndexSpec spec;
        try {
            Map<String, String> params = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = h.path("build_params").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                params.put(e.getKey(), e.getValue().asText());
            }
            spec = new IndexSpec(h.path("index_type").asText(), MetricType.parse(h.path("metric_type").asText()),
                    DataType.valueOf(h.path("field_type").asText()), h.path("dim").asInt(), params);
        } catch (IllegalArgumentException | MilvusException e) {
            throw new IOException(path + ": unreadable index header: " + e.getMessage(), e);
        }
        int columnSize = h.path("column_size").asInt(-1);
        int[] rows = OffHeap.toInts(file.section("rows"));
        for (int row : rows) {
            if (row < 0 || row >= columnSize) {
                throw new IOException(path + ": row mapping out of range");
            }
        }
        NodeRows nodes = new NodeRows(rows, columnSize);
        JsonNode meta = h.path("meta");
        return switch (spec.indexType()) {
            case HnswIndex.TYPE -> HnswIndex.load(spec, meta, file, nodes);
            case "IVF_FLAT", "IVF_SQ8", "IVF_PQ" -> IvfIndex.load(spec, file, nodes);
            case FlatIndex.TYPE -> FlatIndex.load(spec, file, nodes);
            case SparseInvertedIndex.TYPE -> SparseInvertedIndex.load(spec, file, nodes);
            case "BIN_FLAT", "BIN_IVF_FLAT" -> BinaryIvfIndex.load(spec, file, nodes);
            default -> throw new IOException(path + ": unknown index type " + spec.indexType());
        };
    }
}
