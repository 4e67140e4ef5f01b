package io.elanus.vector;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;

/**
 * IVF_PQ: each vector's residual from its list centroid is split into {@code m} sub-vectors, each
 * replaced by the id of its nearest of {@code ksub} sub-centroids, where {@code ksub} is
 * {@code 2^nbits} but at most the number of vectors (codes take {@code ceil(nbits / 8)} bytes,
 * little-endian). A list is scanned with asymmetric distances: a table of sub-query-to-sub-centroid
 * costs for that list, then per node a sum of m table lookups.
 */
record IvfPqCodec(MemorySegment codes, float[] codebooks, float[] centroids, int[] listOffsets,
                  int dim, int m, int nbits, int ksub, MetricType metric) implements IvfCodec {
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** A scanning thread's cost table and query residual, reused across lists and queries. */
    private static final class Scratch {
        float[] table = new float[0];
        float[] shifted = new float[0];
    }

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
        int ksub = (int) Math.max(1, Math.min(1L << nbits, n));
        float[] codebooks = new float[m * ksub * dsub];
        int width = codeBytes(nbits);
        byte[] codes = new byte[n * m * width];
        for (int s = 0; s < m && n > 0; s++) {
            float[] book = KMeans.train(residuals, dim, s * dsub, dsub, ksub, 1000L + s);
            System.arraycopy(book, 0, codebooks, s * ksub * dsub, book.length);
            for (int i = 0; i < n; i++) {
                int code = KMeans.nearest(residuals, i * dim + s * dsub, book, ksub, dsub);
                int at = (i * m + s) * width;
                for (int b = 0; b < width; b++) {
                    codes[at + b] = (byte) (code >>> (8 * b));
                }
            }
        }
        return new IvfPqCodec(OffHeap.bytes(codes), codebooks, centroids, listOffsets, dim, m, nbits, ksub, metric);
    }

    /** Reads the codec; {@code ksub} follows from the codebooks' size (format version 1 always stored 2^nbits). */
    static IvfPqCodec load(IndexFile file, float[] centroids, int[] listOffsets, int dim, int m, int nbits, MetricType metric)
            throws java.io.IOException {
        float[] codebooks = OffHeap.toFloats(file.section("codebooks"));
        int perBook = m * (dim / m);
        int ksub = perBook == 0 ? 0 : codebooks.length / perBook;
        int rows = listOffsets[listOffsets.length - 1];
        if (ksub < 1 || ksub > 1L << nbits || (long) ksub * perBook != codebooks.length
                || file.section("codes").byteSize() != (long) rows * m * codeBytes(nbits)) {
            throw new java.io.IOException("corrupt IVF_PQ codebooks or codes");
        }
        return new IvfPqCodec(file.section("codes"), codebooks, centroids, listOffsets, dim, m, nbits, ksub, metric);
    }

    private static int codeBytes(int nbits) {
        return (nbits + 7) >>> 3;
    }

    private int code(long base, int s) {
        int width = codeBytes(nbits);
        long at = base + (long) s * width;
        int code = codes.get(ValueLayout.JAVA_BYTE, at) & 0xff;
        for (int b = 1; b < width; b++) {
            code |= (codes.get(ValueLayout.JAVA_BYTE, at + b) & 0xff) << (8 * b);
        }
        return code;
    }

    /** Scores by reconstructing each node (centroid plus decoded residual); used for few, scattered nodes. */
    @Override
    public NodeScorer scorer(float[] query) {
        VectorKernels kernels = VectorKernels.get();
        int dsub = dim / m;
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
    public void scan(float[] query, int[] lists, int count, int[] listOffsets, GraphScratch s, Sink sink) {
        s.ensureBatch(CHUNK);
        int[] nodes = s.batch;
        float[] costs = s.batchCosts;
        Scratch scratch = SCRATCH.get();
        if (scratch.table.length < m * ksub) {
            scratch.table = new float[m * ksub];
        }
        if (scratch.shifted.length < dim) {
            scratch.shifted = new float[dim];
        }
        float[] table = scratch.table;
        long width = codeBytes(nbits);
        int n = 0;
        for (int p = 0; p < count; p++) {
            int list = lists[p];
            float baseCost = fillTable(query, list, table, scratch.shifted);
            for (int node = listOffsets[list]; node < listOffsets[list + 1]; node++) {
                long base = node * m * width;
                float sum = baseCost;
                for (int sub = 0; sub < m; sub++) {
                    sum += table[sub * ksub + code(base, sub)];
                }
                nodes[n] = node;
                costs[n++] = sum;
                if (n == CHUNK) {
                    sink.accept(nodes, costs, n);
                    n = 0;
                }
            }
        }
        if (n > 0) {
            sink.accept(nodes, costs, n);
        }
    }

    /**
     * Fills {@code table} with the costs of every sub-centroid against the query's sub-vectors (for L2
     * the query's residual from the list centroid); returns the part of the cost common to the list.
     */
    private float fillTable(float[] query, int list, float[] table, float[] shifted) {
        VectorKernels kernels = VectorKernels.get();
        int dsub = dim / m;
        boolean l2 = metric == MetricType.L2;
        float[] q = query;
        if (l2) {
            for (int j = 0; j < dim; j++) {
                shifted[j] = query[j] - centroids[list * dim + j];
            }
            q = shifted;
        }
        for (int s = 0; s < m; s++) {
            for (int c = 0; c < ksub; c++) {
                int off = (s * ksub + c) * dsub;
                table[s * ksub + c] = l2 ? kernels.l2sq(q, s * dsub, codebooks, off, dsub) : -kernels.dot(q, s * dsub, codebooks, off, dsub);
            }
        }
        return l2 ? 0 : -kernels.dot(query, 0, centroids, list * dim, dim);
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
