package io.elanus.vector;

/**
 * Result of searching one segment: for query {@code q}, hits {@code q*k .. q*k+k-1} best-first;
 * {@code row = -1} pads when fewer than k rows qualify (its score is the metric's worst score).
 * Scores are what Milvus returns as "distance": L2 squared distance, IP dot product, COSINE
 * similarity, HAMMING count, JACCARD distance.
 */
public record SearchHits(int nq, int k, int[] rows, float[] scores) {
    public SearchHits {
        if (rows.length != nq * k || scores.length != nq * k) {
            throw new IllegalArgumentException("SearchHits arrays must hold nq * k entries");
        }
    }

    public int row(int query, int rank) {
        return rows[query * k + rank];
    }

    public float score(int query, int rank) {
        return scores[query * k + rank];
    }

    /** Number of real (non-padding) hits for a query. */
    public int hitCount(int query) {
        int n = 0;
        while (n < k && rows[query * k + n] >= 0) {
            n++;
        }
        return n;
    }
}
