package io.elanus.vector;

import java.lang.foreign.MemorySegment;
import java.util.Map;

/**
 * IVF_FLAT: full-precision vectors. A scan walks {@link #STREAMS} lists at once, taking one node from
 * each in turn: each list is a sequential stream the hardware prefetches, and several streams keep
 * more memory reads in flight than one (a scan of this size is bound by memory, not arithmetic).
 */
record IvfFlatCodec(DenseVectors vectors) implements IvfCodec {
    static final int STREAMS = 4;

    @Override
    public NodeScorer scorer(float[] query) {
        return node -> vectors.cost(query, node);
    }

    @Override
    public void scan(float[] query, int[] lists, int count, int[] listOffsets, GraphScratch s, Sink sink) {
        s.ensureBatch(CHUNK);
        int[] nodes = s.batch;
        float[] costs = s.batchCosts;
        int[] next = s.streamNext;
        int[] end = s.streamEnd;
        java.util.Arrays.fill(next, 0);
        java.util.Arrays.fill(end, 0);
        int probe = 0;
        int n = 0;
        while (true) {
            int streams = 0;
            for (int k = 0; k < STREAMS; k++) {
                while (next[k] == end[k] && probe < count) {
                    next[k] = listOffsets[lists[probe]];
                    end[k] = listOffsets[lists[probe] + 1];
                    probe++;
                }
                if (next[k] < end[k]) {
                    streams++;
                }
            }
            if (streams < STREAMS) {
                // Fewer lists left than streams: finish them one after the other.
                for (int k = 0; k < STREAMS; k++) {
                    for (; next[k] < end[k]; next[k]++) {
                        if (n == CHUNK) {
                            n = flush(query, nodes, costs, n, sink);
                        }
                        nodes[n++] = next[k];
                    }
                }
                flush(query, nodes, costs, n, sink);
                return;
            }
            int run = (CHUNK - n) / STREAMS;
            for (int k = 0; k < STREAMS; k++) {
                run = Math.min(run, end[k] - next[k]);
            }
            for (int k = 0; k < STREAMS; k++) {
                for (int j = 0; j < run; j++) {
                    nodes[n + j * STREAMS + k] = next[k] + j;
                }
                next[k] += run;
            }
            n += run * STREAMS;
            if (n + STREAMS > CHUNK) {
                n = flush(query, nodes, costs, n, sink);
            }
        }
    }

    /** Scores and hands over {@code nodes[0..n)}; returns the new fill (0). */
    private int flush(float[] query, int[] nodes, float[] costs, int n, Sink sink) {
        if (n > 0) {
            vectors.costs(query, nodes, n, costs);
            sink.accept(nodes, costs, n);
        }
        return 0;
    }

    @Override
    public Map<String, MemorySegment> sections() {
        return Map.of("vectors", vectors.data());
    }
}
