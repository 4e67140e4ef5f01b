package io.elanus.vector;

/** Indexes over dense float vectors (float, float16, bfloat16 and int8 fields). */
abstract class DenseIndex extends NodeIndex<float[]> {
    protected final int dim;

    DenseIndex(MetricType metric, int dim, NodeRows nodes) {
        super(metric, nodes);
        this.dim = dim;
    }

    @Override
    float[][] prepare(QueryVectors queries) {
        return DenseInput.queries(queries, dim, metric);
    }
}
