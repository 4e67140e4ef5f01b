package io.elanus.vector;

/** Sparse float queries: per query, its non-zero indices and their values (indices in any order). */
public record SparseQueries(int[][] indices, float[][] values) implements QueryVectors {
    public SparseQueries {
        if (indices.length != values.length) {
            throw new IllegalArgumentException("sparse queries: " + indices.length + " index arrays but " + values.length + " value arrays");
        }
        for (int i = 0; i < indices.length; i++) {
            if (indices[i].length != values[i].length) {
                throw new IllegalArgumentException("sparse query " + i + ": " + indices[i].length + " indices but " + values[i].length + " values");
            }
        }
    }

    @Override
    public int count() {
        return indices.length;
    }
}
