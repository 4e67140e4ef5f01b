package io.elanus.vector;

import java.io.IOException;
import java.io.OutputStream;
import java.util.BitSet;
import java.util.Map;

/**
 * A built (or memory-mapped) vector index over one sealed segment's vector column. Safe for
 * concurrent searches; rows are the column's row numbers.
 */
public interface VectorIndex {
    String indexType();

    MetricType metric();

    /** Number of rows the index was built over (including rows with a null vector, which never match). */
    int size();

    /**
     * Top-k search. {@code searchParams} holds Milvus's "params" keys (e.g. "ef", "nprobe", "radius",
     * "range_filter"); invalid values throw IllegalArgumentException with a Milvus-like message.
     */
    SearchHits search(QueryVectors q, int k, BitSet allowed, Map<String, String> searchParams);

    /** Writes the self-describing, checksummed index file that {@link VectorIndexes#load} maps back. */
    void writeTo(OutputStream out) throws IOException;
}
