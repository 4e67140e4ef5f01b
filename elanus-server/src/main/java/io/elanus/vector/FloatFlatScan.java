package io.elanus.vector;

import java.util.BitSet;

/**
 * Exact search over a row-major float matrix. Rows are scanned in cache-sized blocks and every
 * query of the batch visits a block before the next one is loaded, so a batch reads the matrix
 * from memory once.
 */
final class FloatFlatScan {
    private static final int BLOCK_FLOATS = 64 * 1024;

    private FloatFlatScan() {
    }

    static SearchHits search(float[] data, int dim, MetricType metric, float[][] queries, int k, BitSet eligible,
                             CostRange range, VectorKernels kernels) {
        int n = dim == 0 ? 0 : data.length / dim;
        int nq = queries.length;
        float[][] qs = queries;
        float[] inverseNorms = null;
        if (metric == MetricType.COSINE) {
            qs = new float[nq][];
            for (int q = 0; q < nq; q++) {
                qs[q] = NormCache.normalized(queries[q], kernels);
            }
            inverseNorms = NormCache.inverseNorms(data, dim, kernels);
        }
        TopKHeap[] heaps = SearchScratch.get().heaps(nq, k);
        int block = Math.max(16, BLOCK_FLOATS / Math.max(1, dim));
        for (int start = 0; start < n; start += block) {
            int end = Math.min(n, start + block);
            for (int q = 0; q < nq; q++) {
                scanBlock(data, dim, metric, qs[q], heaps[q], start, end, eligible, inverseNorms, range, kernels);
            }
        }
        return SearchScratch.collect(metric, heaps, nq, k);
    }

    private static void scanBlock(float[] data, int dim, MetricType metric, float[] query, TopKHeap heap,
                                  int start, int end, BitSet eligible, float[] inverseNorms, CostRange range,
                                  VectorKernels kernels) {
        int row = eligible == null ? start : eligible.nextSetBit(start);
        while (row >= 0 && row < end) {
            int off = row * dim;
            float cost = switch (metric) {
                case L2 -> kernels.l2sq(query, 0, data, off, dim);
                case IP -> -kernels.dot(query, 0, data, off, dim);
                case COSINE -> -kernels.dot(query, 0, data, off, dim) * inverseNorms[row];
                default -> throw new IllegalStateException(metric.name());
            };
            if (cost <= heap.threshold() && range.contains(cost)) {
                heap.offer(cost, row);
            }
            row = eligible == null ? row + 1 : eligible.nextSetBit(row + 1);
        }
    }
}
