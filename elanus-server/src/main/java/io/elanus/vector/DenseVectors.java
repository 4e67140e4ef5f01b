package io.elanus.vector;

import java.lang.foreign.MemorySegment;

/** Node-major float vectors in a little-endian segment, scored by the metric's cost. */
record DenseVectors(MemorySegment data, int dim, MetricType metric) {
    private static final VectorKernels KERNELS = VectorKernels.get();

    static DenseVectors of(DenseInput input, MetricType metric) {
        return new DenseVectors(OffHeap.floats(input.vectors()), input.dim(), metric);
    }

    /** Smaller-is-better cost of {@code node} for a prepared query (unit length for COSINE). */
    float cost(float[] query, int node) {
        long off = 4L * node * dim;
        return metric == MetricType.L2 ? KERNELS.l2sq(query, data, off, dim) : -KERNELS.dot(query, data, off, dim);
    }

    /** {@link #cost} of {@code nodes[0..n)} into {@code out[0..n)}. */
    void costs(float[] query, int[] nodes, int n, float[] out) {
        if (metric == MetricType.L2) {
            KERNELS.l2sqRows(query, data, nodes, n, dim, out);
            return;
        }
        KERNELS.dotRows(query, data, nodes, n, dim, out);
        for (int i = 0; i < n; i++) {
            out[i] = -out[i];
        }
    }

    /** Copies {@code node}'s vector into {@code out[0..dim)}. */
    void copy(int node, float[] out) {
        MemorySegment.copy(data, OffHeap.FLOAT, 4L * node * dim, out, 0, dim);
    }
}
