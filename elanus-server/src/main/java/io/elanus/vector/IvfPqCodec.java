package io.elanus.vector;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;

/**
 * IVF_PQ: each vector's residual from its list centroid is split into {@code m} sub-vectors, each
 * replaced by the id of its nearest of {@code 2^nbits} sub-centroids (one byte a code for
 * nbits <= 8, two bytes above). A list is scanned with asymmetric distances: a table of
 * sub-query-to-sub-centroid costs for that list, then per node a sum of m table lookups.
 */
record IvfPqCodec(MemorySegment codes, float[] codebooks, float[] centroids, int[] listOffsets,
                  int dim, int m, int nbits, MetricType metric) implements IvfCodec {

    static IvfPqCodec encode(float[] vectors, float[] centroids, int[] listOffsets, int dim, int m, int nbits, MetricType metric) {
        int n = dim == 0 ? 0 : vectors.length / dim;
        float[] residuals = vectors.clone();
        for (int list = 0; list + 1 < listOffsets.length; list++) {
            for (int node = listOffsets[list]; node < listOffsets[list + 1]; node++) {
                for (int j = 0; j < dim; j++) {
                    residuals[node * dim + j] -= centroids[list * dim + j];
                }
            }
        }
        int dsub = dim / m;
        int ksub = Math.max(1, Math.min(1 << nbits, n));
        float[] codebooks = new float[m * (1 << nbits) * dsub];
        int width = codeBytes(nbits);
        byte[] codes = new byte[n * m * width];
        for (int s = 0; s < m; s++) {
            float[] book = n == 0 ? new float[0] : KMeans.train(residuals, dim, s * dsub, dsub, ksub, 1000L + s);
            System.arraycopy(book, 0, codebooks, s * (1 << nbits) * dsub, book.length);
            for (int i = 0; i < n; i++) {
                int code = KMeans.nearest(residuals, i * dim + s * dsub, book, ksub, dsub);
                int at = (i * m + s) * width;
                codes[at] = (byte) code;
                if (width == 2) {
                    codes[at + 1] = (byte) (code >>> 8);
                }
            }
        }
        return new IvfPqCodec(OffHeap.bytes(codes), codebooks, centroids, listOffsets, dim, m, nbits, metric);
    }

    static IvfPqCodec load(IndexFile file, float[] centroids, int[] listOffsets, int dim, int m, int nbits, MetricType metric)
            throws java.io.IOException {
        return new IvfPqCodec(file.section("codes"), OffHeap.toFloats(file.section("codebooks")), centroids, listOffsets,
                dim, m, nbits, metric);
    }

    private static int codeBytes(int nbits) {
        return nbits <= 8 ? 1 : 2;
    }

    private int code(long base, int s) {
        int width = codeBytes(nbits);
        int code = codes.get(ValueLayout.JAVA_BYTE, base + (long) s * width) & 0xff;
        if (width == 2) {
            code |= (codes.get(ValueLayout.JAVA_BYTE, base + (long) s * width + 1) & 0xff) << 8;
        }
        return code;
    }

    /** Scores by reconstructing each node (centroid plus decoded residual); used for few, scattered nodes. */
    @Override
    public NodeScorer scorer(float[] query) {
        VectorKernels kernels = VectorKernels.get();
        int dsub = dim / m;
        int ksub = 1 << nbits;
        float[] decoded = new float[dim];
        return node -> {
            int list = listOf(node);
            long base = (long) node * m * codeBytes(nbits);
            for (int s = 0; s < m; s++) {
                int book = (s * ksub + code(base, s)) * dsub;
                for (int j = 0; j < dsub; j++) {
                    decoded[s * dsub + j] = centroids[list * dim + s * dsub + j] + codebooks[book + j];
                }
            }
            return metric == MetricType.L2 ? kernels.l2sq(query, 0, decoded, 0, dim) : -kernels.dot(query, 0, decoded, 0, dim);
        };
    }

    @Override
    public NodeScorer listScorer(float[] query, int list) {
        VectorKernels kernels = VectorKernels.get();
        int ksub = 1 << nbits;
        int dsub = dim / m;
        float[] table = new float[m * ksub];
        float baseCost;
        if (metric == MetricType.L2) {
            float[] shifted = new float[dim];
            for (int j = 0; j < dim; j++) {
                shifted[j] = query[j] - centroids[list * dim + j];
            }
            fillTable(table, shifted, ksub, dsub, kernels, true);
            baseCost = 0;
        } else {
            fillTable(table, query, ksub, dsub, kernels, false);
            baseCost = -kernels.dot(query, 0, centroids, list * dim, dim);
        }
        int width = codeBytes(nbits);
        return node -> {
            long base = (long) node * m * width;
            float sum = baseCost;
            for (int s = 0; s < m; s++) {
                sum += table[s * ksub + code(base, s)];
            }
            return sum;
        };
    }

    private void fillTable(float[] table, float[] q, int ksub, int dsub, VectorKernels kernels, boolean l2) {
        for (int s = 0; s < m; s++) {
            for (int c = 0; c < ksub; c++) {
                int off = (s * ksub + c) * dsub;
                table[s * ksub + c] = l2 ? kernels.l2sq(q, s * dsub, codebooks, off, dsub) : -kernels.dot(q, s * dsub, codebooks, off, dsub);
            }
        }
    }

    private int listOf(int node) {
        int lo = 0;
        int hi = listOffsets.length - 2;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (listOffsets[mid] <= node) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    @Override
    public Map<String, MemorySegment> sections() {
        return Map.of("codes", codes, "codebooks", OffHeap.floats(codebooks));
    }
}
