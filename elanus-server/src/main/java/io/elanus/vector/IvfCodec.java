package io.elanus.vector;

import java.lang.foreign.MemorySegment;
import java.util.Map;

/** How an IVF index stores the vectors of its lists (node-major, in list order) and scores them. */
interface IvfCodec {
    /** A scorer for nodes of any list, for one prepared query (the exact fallback). */
    NodeScorer scorer(float[] query);

    /** A scorer for the nodes of one list; codecs that encode residuals specialise it per list. */
    default NodeScorer listScorer(float[] query, int list) {
        return scorer(query);
    }

    /** The sections holding this codec's data, for the index file. */
    Map<String, MemorySegment> sections();
}
