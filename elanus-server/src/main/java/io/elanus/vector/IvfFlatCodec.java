package io.elanus.vector;

import java.lang.foreign.MemorySegment;
import java.util.Map;

/** IVF_FLAT: full-precision vectors. */
record IvfFlatCodec(DenseVectors vectors) implements IvfCodec {
    @Override
    public NodeScorer scorer(float[] query) {
        return node -> vectors.cost(query, node);
    }

    @Override
    public Map<String, MemorySegment> sections() {
        return Map.of("vectors", vectors.data());
    }
}
