package io.elanus.vector;

import java.util.Map;
import java.util.WeakHashMap;

/**
 * Inverse L2 norms of the rows of a row-major float matrix, computed once per matrix and kept as
 * long as the matrix is reachable (columns are immutable, so the array identity is a safe key).
 */
final class NormCache {
    private static final Map<float[], float[]> CACHE = new WeakHashMap<>();

    private NormCache() {
    }

    static float[] inverseNorms(float[] data, int dim, VectorKernels kernels) {
        synchronized (CACHE) {
            float[] cached = CACHE.get(data);
            if (cached != null) {
                return cached;
            }
        }
        float[] inv = inverseNormsOf(data, dim, kernels);
        synchronized (CACHE) {
            CACHE.put(data, inv);
        }
        return inv;
    }

    static float[] inverseNormsOf(float[] data, int dim, VectorKernels kernels) {
        int n = dim == 0 ? 0 : data.length / dim;
        float[] inv = new float[n];
        for (int row = 0; row < n; row++) {
            float sq = kernels.dot(data, row * dim, data, row * dim, dim);
            inv[row] = sq == 0 ? 0f : (float) (1.0 / Math.sqrt(sq));
        }
        return inv;
    }

    /** A unit-length copy of {@code v} (all zeros stays all zeros). */
    static float[] normalized(float[] v, VectorKernels kernels) {
        float sq = kernels.dot(v, 0, v, 0, v.length);
        float[] out = v.clone();
        if (sq > 0) {
            float scale = (float) (1.0 / Math.sqrt(sq));
            for (int i = 0; i < out.length; i++) {
                out[i] *= scale;
            }
        }
        return out;
    }
}
