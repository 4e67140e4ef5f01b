package io.elanus.vector;

import java.util.Arrays;

/**
 * Sparse vectors stored both ways: an inverted index (per dimension, the nodes holding it in
 * ascending order with their values and the largest absolute value) and a forward index (per node,
 * its dimensions and values) for scoring a few filtered nodes directly.
 */
record SparsePostings(int[] terms, int[] termOffsets, int[] postingNodes, float[] postingValues, float[] termMaxAbs,
                      int[] nodeOffsets, int[] nodeTerms, float[] nodeValues) {

    static SparsePostings build(int[][] indices, float[][] values, int[] rows) {
        int nnz = 0;
        for (int row : rows) {
            nnz += indices[row].length;
        }
        int[] nodeOffsets = new int[rows.length + 1];
        int[] nodeTerms = new int[nnz];
        float[] nodeValues = new float[nnz];
        for (int node = 0; node < rows.length; node++) {
            SparseVector v = SparseVector.sorted(indices[rows[node]], values[rows[node]]);
            int at = nodeOffsets[node];
            System.arraycopy(v.indices(), 0, nodeTerms, at, v.indices().length);
            System.arraycopy(v.values(), 0, nodeValues, at, v.values().length);
            nodeOffsets[node + 1] = at + v.indices().length;
        }
        int used = nodeOffsets[rows.length];
        int[] terms = Arrays.stream(nodeTerms, 0, used).sorted().distinct().toArray();
        int[] termOffsets = new int[terms.length + 1];
        for (int i = 0; i < used; i++) {
            termOffsets[Arrays.binarySearch(terms, nodeTerms[i]) + 1]++;
        }
        for (int t = 0; t < terms.length; t++) {
            termOffsets[t + 1] += termOffsets[t];
        }
        int[] fill = Arrays.copyOf(termOffsets, terms.length);
        int[] postingNodes = new int[used];
        float[] postingValues = new float[used];
        float[] termMaxAbs = new float[terms.length];
        for (int node = 0; node < rows.length; node++) {
            for (int i = nodeOffsets[node]; i < nodeOffsets[node + 1]; i++) {
                int t = Arrays.binarySearch(terms, nodeTerms[i]);
                int at = fill[t]++;
                postingNodes[at] = node;
                postingValues[at] = nodeValues[i];
                termMaxAbs[t] = Math.max(termMaxAbs[t], Math.abs(nodeValues[i]));
            }
        }
        return new SparsePostings(terms, termOffsets, postingNodes, postingValues, termMaxAbs,
                nodeOffsets, Arrays.copyOf(nodeTerms, used), Arrays.copyOf(nodeValues, used));
    }

    /** Position of dimension {@code index} in {@link #terms}, or negative when no vector has it. */
    int term(int index) {
        return Arrays.binarySearch(terms, index);
    }

    /** Dot product of a sorted query with node {@code node}; NaN when they share no dimension. */
    float dot(SparseVector query, int node) {
        int from = nodeOffsets[node];
        int to = nodeOffsets[node + 1];
        int[] qi = query.indices();
        float[] qv = query.values();
        float sum = 0;
        boolean shared = false;
        int i = 0;
        int j = from;
        while (i < qi.length && j < to) {
            int c = Integer.compareUnsigned(qi[i], nodeTerms[j]);
            if (c == 0) {
                sum += qv[i++] * nodeValues[j++];
                shared = true;
            } else if (c < 0) {
                i++;
            } else {
                j++;
            }
        }
        return shared ? sum : Float.NaN;
    }
}
