package io.elanus.vector;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.elanus.common.MilvusException;
import io.elanus.segment.SparseVectorColumn;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SPARSE_INVERTED_INDEX (IP). Search is document-at-a-time MaxScore: query terms are ordered by
 * their score upper bound (query weight times the list's largest value); terms whose bounds
 * together cannot lift a document above the current k-th score are "non-essential" and only
 * probed for documents that the essential terms produce. Results are exact; only rows sharing a
 * dimension with the query are returned.
 */
final class SparseInvertedIndex extends NodeIndex<SparseVector> {
    static final String TYPE = "SPARSE_INVERTED_INDEX";

    private final IndexSpec spec;
    private final SparsePostings postings;

    private SparseInvertedIndex(IndexSpec spec, SparsePostings postings, NodeRows nodes) {
        super(MetricType.IP, nodes);
        this.spec = spec;
        this.postings = postings;
    }

    static SparseInvertedIndex build(IndexSpec spec, SparseVectorColumn column) {
        int[] rows = column.nulls().isEmpty() ? DenseInput.identity(column.size())
                : java.util.stream.IntStream.range(0, column.size()).filter(r -> !column.isNull(r)).toArray();
        return new SparseInvertedIndex(spec, SparsePostings.build(column.indices(), column.values(), rows),
                new NodeRows(rows, column.size()));
    }

    static SparseInvertedIndex load(IndexSpec spec, IndexFile file, NodeRows nodes) throws IOException {
        SparsePostings p = new SparsePostings(OffHeap.toInts(file.section("terms")), OffHeap.toInts(file.section("term_offsets")),
                OffHeap.toInts(file.section("posting_nodes")), OffHeap.toFloats(file.section("posting_values")),
                OffHeap.toFloats(file.section("term_max_abs")), OffHeap.toInts(file.section("node_offsets")),
                OffHeap.toInts(file.section("node_terms")), OffHeap.toFloats(file.section("node_values")));
        if (p.nodeOffsets().length != nodes.count() + 1 || p.termOffsets().length != p.terms().length + 1) {
            throw new IOException("corrupt sparse index tables");
        }
        return new SparseInvertedIndex(spec, p, nodes);
    }

    @Override
    public String indexType() {
        return TYPE;
    }

    @Override
    SparseVector[] prepare(QueryVectors queries) {
        if (!(queries instanceof SparseQueries s)) {
            throw new IllegalArgumentException("sparse vector index needs sparse query vectors");
        }
        SparseVector[] out = new SparseVector[s.count()];
        for (int i = 0; i < out.length; i++) {
            out[i] = SparseVector.sorted(s.indices()[i], s.values()[i]);
        }
        return out;
    }

    @Override
    int searchWidth(int k, Map<String, String> params) {
        float drop = Params.floatParam(params, "drop_ratio_search");
        if (!Float.isNaN(drop) && (drop < 0 || drop >= 1)) {
            throw MilvusException.invalidParameter("drop_ratio_search out of range: [0, 1)");
        }
        return k;
    }

    @Override
    NodeScorer scorer(SparseVector query) {
        return node -> -postings.dot(query, node);
    }

    @Override
    void approximate(SparseVector query, int k, int width, BitSet allowed, CostRange range, TopKHeap out) {
        MaxScoreCursors c = MaxScoreCursors.open(postings, query);
        int terms = c.size();
        int firstEssential = 0;
        while (true) {
            float theta = out.isFull() ? -out.threshold() : Float.NEGATIVE_INFINITY;
            while (firstEssential < terms && c.boundBelow(firstEssential + 1) < theta) {
                firstEssential++;
            }
            if (firstEssential == terms) {
                return;
            }
            int doc = c.minDoc(firstEssential);
            if (doc == Integer.MAX_VALUE) {
                return;
            }
            float score = c.scoreAndAdvance(firstEssential, doc);
            if (!nodes.allowed(doc, allowed)) {
                continue;
            }
            boolean possible = true;
            for (int t = firstEssential - 1; t >= 0 && possible; t--) {
                if (score + c.boundBelow(t + 1) < theta) {
                    possible = false;
                } else {
                    score += c.probe(t, doc);
                }
            }
            float cost = -score;
            if (possible && range.contains(cost)) {
                out.offer(cost, doc);
            }
        }
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        Map<String, MemorySegment> s = new LinkedHashMap<>();
        s.put("rows", OffHeap.ints(nodes.rowOfNode()));
        s.put("terms", OffHeap.ints(postings.terms()));
        s.put("term_offsets", OffHeap.ints(postings.termOffsets()));
        s.put("posting_nodes", OffHeap.ints(postings.postingNodes()));
        s.put("posting_values", OffHeap.floats(postings.postingValues()));
        s.put("term_max_abs", OffHeap.floats(postings.termMaxAbs()));
        s.put("node_offsets", OffHeap.ints(postings.nodeOffsets()));
        s.put("node_terms", OffHeap.ints(postings.nodeTerms()));
        s.put("node_values", OffHeap.floats(postings.nodeValues()));
        ObjectNode meta = IndexFile.JSON.createObjectNode();
        IndexFiles.write(out, spec, nodes, meta, s);
    }
}
