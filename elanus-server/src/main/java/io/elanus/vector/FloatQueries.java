package io.elanus.vector;

/** Float, float16 and bfloat16 queries, already widened to float. */
public record FloatQueries(int dim, float[][] vectors) implements QueryVectors {
    public FloatQueries {
        for (float[] v : vectors) {
            if (v.length != dim) {
                throw new IllegalArgumentException("the dim (" + v.length + ") of a query vector does not match the expected dim (" + dim + ")");
            }
        }
    }

    @Override
    public int count() {
        return vectors.length;
    }
}
