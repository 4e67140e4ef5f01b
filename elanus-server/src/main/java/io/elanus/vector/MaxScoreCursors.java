package io.elanus.vector;

/**
 * The posting-list cursors of one sparse query, ordered by ascending score upper bound, with the
 * prefix sums of those bounds that MaxScore's essential/non-essential split needs.
 */
final class MaxScoreCursors {
    private final SparsePostings p;
    private final float[] weights;
    private final int[] pos;
    private final int[] end;
    private final float[] prefixBounds;

    private MaxScoreCursors(SparsePostings p, float[] weights, int[] pos, int[] end, float[] prefixBounds) {
        this.p = p;
        this.weights = weights;
        this.pos = pos;
        this.end = end;
        this.prefixBounds = prefixBounds;
    }

    static MaxScoreCursors open(SparsePostings p, SparseVector query) {
        int n = 0;
        int[] termIds = new int[query.indices().length];
        float[] w = new float[termIds.length];
        float[] bounds = new float[termIds.length];
        for (int i = 0; i < termIds.length; i++) {
            int t = p.term(query.indices()[i]);
            if (t >= 0) {
                termIds[n] = t;
                w[n] = query.values()[i];
                bounds[n] = Math.abs(w[n]) * p.termMaxAbs()[t];
                n++;
            }
        }
        int[] order = byAscendingBound(bounds, n);
        float[] weights = new float[n];
        int[] pos = new int[n];
        int[] end = new int[n];
        float[] prefix = new float[n + 1];
        for (int i = 0; i < n; i++) {
            int o = order[i];
            weights[i] = w[o];
            pos[i] = p.termOffsets()[termIds[o]];
            end[i] = p.termOffsets()[termIds[o] + 1];
            prefix[i + 1] = prefix[i] + bounds[o];
        }
        return new MaxScoreCursors(p, weights, pos, end, prefix);
    }

    /** Indices {@code 0..n-1} sorted by {@code bounds} (queries have few terms: insertion sort). */
    private static int[] byAscendingBound(float[] bounds, int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            int j = i;
            while (j > 0 && bounds[order[j - 1]] > bounds[i]) {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = i;
        }
        return order;
    }

    int size() {
        return weights.length;
    }

    /** Sum of the score bounds of the terms before {@code t}. */
    float boundBelow(int t) {
        return prefixBounds[t];
    }

    /** Smallest current document among terms {@code from..}; MAX_VALUE when all are exhausted. */
    int minDoc(int from) {
        int min = Integer.MAX_VALUE;
        for (int t = from; t < weights.length; t++) {
            if (pos[t] < end[t]) {
                min = Math.min(min, p.postingNodes()[pos[t]]);
            }
        }
        return min;
    }

    /** Adds up terms {@code from..} positioned on {@code doc} and moves them past it. */
    float scoreAndAdvance(int from, int doc) {
        float score = 0;
        for (int t = from; t < weights.length; t++) {
            if (pos[t] < end[t] && p.postingNodes()[pos[t]] == doc) {
                score += weights[t] * p.postingValues()[pos[t]];
                pos[t]++;
            }
        }
        return score;
    }

    /** Moves term {@code t} to the first document >= {@code doc} (galloping) and returns its contribution there. */
    float probe(int t, int doc) {
        int[] docs = p.postingNodes();
        int lo = pos[t];
        if (lo >= end[t] || docs[lo] >= doc) {
            return lo < end[t] && docs[lo] == doc ? weights[t] * p.postingValues()[lo] : 0f;
        }
        int step = 1;
        int hi = lo + 1;
        while (hi < end[t] && docs[hi] < doc) {
            lo = hi;
            step <<= 1;
            hi = lo + step;
        }
        hi = Math.min(hi + 1, end[t]);
        int found = java.util.Arrays.binarySearch(docs, lo + 1, hi, doc);
        pos[t] = found >= 0 ? found : -found - 1;
        return found >= 0 ? weights[t] * p.postingValues()[found] : 0f;
    }
}
