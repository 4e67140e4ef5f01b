package io.elanus.vector;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;

/**
 * IVF_SQ8: each dimension quantised to one byte over that dimension's [min, max] range. Scoring
 * decodes a node into a per-query buffer and runs the float kernel on it.
 */
record IvfSq8Codec(MemorySegment codes, float[] mins, float[] steps, int dim, MetricType metric) implements IvfCodec {

    static IvfSq8Codec encode(float[] vectors, int dim, MetricType metric) {
        int n = dim == 0 ? 0 : vectors.length / dim;
        float[] mins = new float[dim];
        float[] maxs = new float[dim];
        java.util.Arrays.fill(mins, Float.POSITIVE_INFINITY);
        java.util.Arrays.fill(maxs, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dim; j++) {
                float x = vectors[i * dim + j];
                mins[j] = Math.min(mins[j], x);
                maxs[j] = Math.max(maxs[j], x);
            }
        }
        float[] steps = new float[dim];
        for (int j = 0; j < dim; j++) {
            steps[j] = n == 0 ? 0 : (maxs[j] - mins[j]) / 255f;
            if (n == 0) {
                mins[j] = 0;
            }
        }
        byte[] codes = new byte[n * dim];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dim; j++) {
                float x = vectors[i * dim + j];
                int code = steps[j] == 0 ? 0 : Math.round((x - mins[j]) / steps[j]);
                codes[i * dim + j] = (byte) Math.max(0, Math.min(255, code));
            }
        }
        return new IvfSq8Codec(OffHeap.bytes(codes), mins, steps, dim, metric);
    }

    static IvfSq8Codec load(IndexFile file, int dim, MetricType metric) throws java.io.IOException {
        return new IvfSq8Codec(file.section("codes"), OffHeap.toFloats(file.section("mins")),
                OffHeap.toFloats(file.section("steps")), dim, metric);
    }

    @Override
    public NodeScorer scorer(float[] query) {
        VectorKernels kernels = VectorKernels.get();
        float[] decoded = new float[dim];
        return node -> {
            long base = (long) node * dim;
            for (int j = 0; j < dim; j++) {
                decoded[j] = mins[j] + steps[j] * (codes.get(ValueLayout.JAVA_BYTE, base + j) & 0xff);
            }
            return metric == MetricType.L2 ? kernels.l2sq(query, 0, decoded, 0, dim) : -kernels.dot(query, 0, decoded, 0, dim);
        };
    }

    @Override
    public Map<String, MemorySegment> sections() {
        return Map.of("codes", codes, "mins", OffHeap.floats(mins), "steps", OffHeap.floats(steps));
    }
}
