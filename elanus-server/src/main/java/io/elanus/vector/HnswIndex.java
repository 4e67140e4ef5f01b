package io.elanus.vector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.elanus.common.MilvusException;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HNSW over off-heap vectors (float, or int8 as bytes). Search: greedy descent
 * through the upper levels, then a beam of width {@code ef} on level 0 in which filtered-out nodes
 * are traversed but never returned.
 */
final class HnswIndex extends DenseIndex {
    static final String TYPE = "HNSW";

    private final IndexSpec spec;
    private final DenseVectors vectors;
    private final HnswGraph.Mapped graph;

    HnswIndex(IndexSpec spec, DenseVectors vectors, HnswGraph.Mapped graph, NodeRows nodes) {
        super(spec.metric(), spec.dim(), nodes);
        this.spec = spec;
        this.vectors = vectors;
        this.graph = graph;
    }

    static HnswIndex build(IndexSpec spec, DenseInput input) {
        DenseVectors vectors = DenseVectors.of(input, spec.metric());
        HnswGraph.Heap heap = new HnswBuilder(vectors, input.count(), spec.intParam("M"), spec.intParam("efConstruction"), 42).build();
        return new HnswIndex(spec, vectors, heap.toOffHeap(), new NodeRows(input.rows(), input.columnSize()));
    }

    static HnswIndex load(IndexSpec spec, JsonNode meta, IndexFile file, NodeRows nodes) throws IOException {
        HnswGraph.Mapped graph = new HnswGraph.Mapped(spec.intParam("M"), meta.path("entry_point").asInt(),
                meta.path("max_level").asInt(), file.section("level0"), file.section("upper_offsets"), file.section("upper"));
        return new HnswIndex(spec, DenseVectors.load(file, spec, nodes.count()), graph, nodes);
    }

    @Override
    public String indexType() {
        return TYPE;
    }

    @Override
    int searchWidth(int k, Map<String, String> params) {
        int ef = Params.intParam(params, "ef", k, 1, Integer.MAX_VALUE);
        if (ef < k) {
            throw MilvusException.invalidParameter("ef(" + ef + ") should be larger than k(" + k + ")");
        }
        return ef;
    }

    @Override
    NodeScorer scorer(float[] query) {
        return node -> vectors.cost(query, node);
    }

    @Override
    void approximate(float[] query, int k, int ef, BitSet allowed, CostRange range, TopKHeap out) {
        if (graph.entryPoint() < 0) {
            return;
        }
        GraphScratch s = GraphScratch.get();
        s.ensureBatch(2 * graph.m());
        int ep = graph.entryPoint();
        float epCost = vectors.cost(query, ep);
        for (int level = graph.maxLevel(); level > 0; level--) {
            MemorySegment table = graph.table(level);
            boolean moved = true;
            while (moved) {
                moved = false;
                long slot = graph.slot(ep, level);
                int n = table.get(OffHeap.INT, slot);
                MemorySegment.copy(table, OffHeap.INT, slot + 4, s.batch, 0, n);
                vectors.costs(query, s.batch, n, s.batchCosts);
                for (int j = 0; j < n; j++) {
                    if (s.batchCosts[j] < epCost) {
                        epCost = s.batchCosts[j];
                        ep = s.batch[j];
                        moved = true;
                    }
                }
            }
        }
        searchLevel0(query, ep, epCost, ef, allowed, s);
        s.ensure(ef);
        int found = s.beam.drainSorted(s.nodes, s.costs);
        for (int i = 0; i < found; i++) {
            if (range.contains(s.costs[i])) {
                out.offer(s.costs[i], s.nodes[i]);
            }
        }
    }

    /** Beam search on level 0; the beam keeps only allowed nodes, so a filter widens the walk. */
    private void searchLevel0(float[] query, int entry, float entryCost, int ef, BitSet allowed, GraphScratch s) {
        s.visited.reset(nodes.count());
        s.candidates.clear();
        s.beam.reset(ef);
        s.visited.visit(entry);
        s.candidates.push(entryCost, entry);
        if (nodes.allowed(entry, allowed)) {
            s.beam.offer(entryCost, entry);
        }
        MemorySegment table = graph.level0();
        int[] batch = s.batch;
        float[] batchCosts = s.batchCosts;
        long lastLink = 4L * 2 * graph.m();
        int touched = 0;
        while (!s.candidates.isEmpty()) {
            float c = s.candidates.peekCost();
            if (c > s.beam.threshold()) {
                break;
            }
            int current = s.candidates.peekNode();
            s.candidates.pop();
            long slot = graph.slot(current, 0);
            int n = table.get(OffHeap.INT, slot);
            int fresh = 0;
            for (int j = 1; j <= n; j++) {
                int nb = table.get(OffHeap.INT, slot + 4L * j);
                batch[fresh] = nb;
                fresh += s.visited.mark(nb);
            }
            if (!s.candidates.isEmpty()) {
                long next = graph.slot(s.candidates.peekNode(), 0);
                touched += table.get(OffHeap.INT, next) + table.get(OffHeap.INT, next + lastLink);
            }
            vectors.costs(query, batch, fresh, batchCosts);
            for (int j = 0; j < fresh; j++) {
                float nc = batchCosts[j];
                if (nc < s.beam.threshold()) {
                    int nb = batch[j];
                    s.candidates.push(nc, nb);
                    if (nodes.allowed(nb, allowed)) {
                        s.beam.offer(nc, nb);
                    }
                }
            }
        }
        s.touched = touched;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        ObjectNode meta = IndexFile.JSON.createObjectNode()
                .put("entry_point", graph.entryPoint())
                .put("max_level", graph.maxLevel());
        Map<String, MemorySegment> sections = new LinkedHashMap<>();
        sections.put("rows", OffHeap.ints(nodes.rowOfNode()));
        sections.put("vectors", vectors.data());
        sections.put("level0", graph.level0());
        sections.put("upper_offsets", graph.upperOffsets());
        sections.put("upper", graph.upper());
        IndexFiles.write(out, spec, nodes, meta, sections);
    }
}
