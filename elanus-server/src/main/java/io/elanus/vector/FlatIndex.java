package io.elanus.vector;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;

/** FLAT over float or int8 vectors: every admitted vector is scored. */
final class FlatIndex extends DenseIndex {
    static final String TYPE = "FLAT";

    private final IndexSpec spec;
    private final DenseVectors vectors;

    FlatIndex(IndexSpec spec, DenseVectors vectors, NodeRows nodes) {
        super(spec.metric(), spec.dim(), nodes);
        this.spec = spec;
        this.vectors = vectors;
    }

    static FlatIndex build(IndexSpec spec, DenseInput input) {
        return new FlatIndex(spec, DenseVectors.of(input, spec.metric()), new NodeRows(input.rows(), input.columnSize()));
    }

    static FlatIndex load(IndexSpec spec, IndexFile file, NodeRows nodes) throws IOException {
        return new FlatIndex(spec, DenseVectors.load(file, spec, nodes.count()), nodes);
    }

    @Override
    public String indexType() {
        return TYPE;
    }

    @Override
    int searchWidth(int k, Map<String, String> params) {
        return k;
    }

    @Override
    NodeScorer scorer(float[] query) {
        return node -> vectors.cost(query, node);
    }

    @Override
    void approximate(float[] query, int k, int width, BitSet allowed, CostRange range, TopKHeap out) {
        exactScan(query, allowed, range, out);
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        ObjectNode meta = IndexFile.JSON.createObjectNode();
        Map<String, MemorySegment> sections = new LinkedHashMap<>();
        sections.put("vectors", vectors.data());
        IndexFiles.write(out, spec, nodes, meta, sections);
    }
}
