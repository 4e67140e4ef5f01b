package io.elanus.vector;

import java.lang.foreign.MemorySegment;
import java.util.Map;

/** How an IVF index stores the vectors of its lists (node-major, in list order) and scores them. */
interface IvfCodec {
    /** Nodes scored per chunk handed to a {@link Sink}. */
    int CHUNK = 256;

    /** Receives the costs of scanned nodes a chunk at a time: {@code costs[i]} is the cost of {@code nodes[i]}. */
    @FunctionalInterface
    interface Sink {
        void accept(int[] nodes, float[] costs, int n);
    }

    /** A scorer for nodes of any list, for one prepared query (the exact fallback). */
    NodeScorer scorer(float[] query);

    /**
     * Scores every node of {@code lists[0..count)} (list {@code l} holds nodes
     * {@code listOffsets[l] .. listOffsets[l + 1] - 1}) and hands them to {@code sink} in chunks of
     * at most {@link #CHUNK}, in no particular order. By default list by list through {@link #scorer}.
     */
    default void scan(float[] query, int[] lists, int count, int[] listOffsets, GraphScratch s, Sink sink) {
        s.ensureBatch(CHUNK);
        int[] nodes = s.batch;
        float[] costs = s.batchCosts;
        NodeScorer scorer = scorer(query);
        int n = 0;
        for (int p = 0; p < count; p++) {
            for (int node = listOffsets[lists[p]]; node < listOffsets[lists[p] + 1]; node++) {
                nodes[n] = node;
                costs[n++] = scorer.cost(node);
                if (n == CHUNK) {
                    sink.accept(nodes, costs, n);
                    n = 0;
                }
            }
        }
        if (n > 0) {
            sink.accept(nodes, costs, n);
        }
    }

    /** The sections holding this codec's data, for the index file. */
    Map<String, MemorySegment> sections();
}
