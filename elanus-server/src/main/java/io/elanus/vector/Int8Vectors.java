package io.elanus.vector;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Int8 vectors kept as bytes (a quarter of the memory of floats) and scored against float queries;
 * for COSINE each node's inverse norm scales its dot product, so the stored bytes stay the raw values.
 *
 * @param inverseNorms per node, for COSINE (null otherwise); derived from the bytes, not stored
 */
record Int8Vectors(MemorySegment data, int dim, MetricType metric, float[] inverseNorms) implements DenseVectors {

    static Int8Vectors of(MemorySegment data, int dim, MetricType metric) {
        return new Int8Vectors(data, dim, metric, metric == MetricType.COSINE ? inverseNorms(data, dim) : null);
    }

    private static float[] inverseNorms(MemorySegment data, int dim) {
        int n = dim == 0 ? 0 : (int) (data.byteSize() / dim);
        float[] inv = new float[n];
        for (int node = 0; node < n; node++) {
            long sq = 0;
            for (int j = 0; j < dim; j++) {
                int x = data.get(ValueLayout.JAVA_BYTE, (long) node * dim + j);
                sq += x * x;
            }
            inv[node] = sq == 0 ? 0f : (float) (1.0 / Math.sqrt(sq));
        }
        return inv;
    }

    @Override
    public float cost(float[] query, int node) {
        long off = (long) node * dim;
        return switch (metric) {
            case L2 -> KERNELS.int8L2sq(query, data, off, dim);
            case COSINE -> -KERNELS.int8Dot(query, data, off, dim) * inverseNorms[node];
            default -> -KERNELS.int8Dot(query, data, off, dim);
        };
    }

    @Override
    public void costs(float[] query, int[] nodes, int n, float[] out) {
        for (int i = 0; i < n; i++) {
            out[i] = cost(query, nodes[i]);
        }
    }

    @Override
    public void copy(int node, float[] out) {
        float scale = metric == MetricType.COSINE ? inverseNorms[node] : 1f;
        for (int j = 0; j < dim; j++) {
            out[j] = data.get(ValueLayout.JAVA_BYTE, (long) node * dim + j) * scale;
        }
    }
}
