package io.elanus.vector;

import java.lang.foreign.MemorySegment;

/** Float vectors (unit length for COSINE, so cosine is a dot product). */
record FloatVectors(MemorySegment data, int dim, MetricType metric) implements DenseVectors {

    @Override
    public float cost(float[] query, int node) {
        long off = 4L * node * dim;
        return metric == MetricType.L2 ? KERNELS.l2sq(query, data, off, dim) : -KERNELS.dot(query, data, off, dim);
    }

    @Override
    public void costs(float[] query, int[] nodes, int n, float[] out) {
        if (metric == MetricType.L2) {
            KERNELS.l2sqRows(query, data, nodes, n, dim, out);
            return;
        }
        KERNELS.dotRows(query, data, nodes, n, dim, out);
        for (int i = 0; i < n; i++) {
            out[i] = -out[i];
        }
    }

    @Override
    public void copy(int node, float[] out) {
        MemorySegment.copy(data, OffHeap.FLOAT, 4L * node * dim, out, 0, dim);
    }
}
