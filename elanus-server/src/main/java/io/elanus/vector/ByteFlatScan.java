package io.elanus.vector;

import java.util.BitSet;

/** Exact search over row-major binary (HAMMING, JACCARD) or int8 (L2, IP, COSINE) vectors. */
final class ByteFlatScan {
    private ByteFlatScan() {
    }

    static SearchHits search(byte[] data, int bytesPerRow, MetricType metric, byte[][] queries, int k,
                             BitSet eligible, CostRange range, VectorKernels kernels) {
        int n = bytesPerRow == 0 ? 0 : data.length / bytesPerRow;
        int nq = queries.length;
        TopKHeap[] heaps = SearchScratch.get().heaps(nq, k);
        for (int q = 0; q < nq; q++) {
            byte[] query = queries[q];
            if (query.length != bytesPerRow) {
                throw new IllegalArgumentException("the dim (" + query.length + " bytes) of a query vector does not match the expected ("
                        + bytesPerRow + " bytes)");
            }
            float queryNormSq = metric == MetricType.COSINE ? kernels.int8Dot(query, 0, query, 0, bytesPerRow) : 0f;
            TopKHeap heap = heaps[q];
            int row = eligible == null ? 0 : eligible.nextSetBit(0);
            while (row >= 0 && row < n) {
                int off = row * bytesPerRow;
                float score = score(metric, query, data, off, bytesPerRow, queryNormSq, kernels);
                float cost = TopKHeap.cost(metric, score);
                if (range.contains(cost)) {
                    heap.offer(cost, row);
                }
                row = eligible == null ? row + 1 : eligible.nextSetBit(row + 1);
            }
        }
        return SearchScratch.collect(metric, heaps, nq, k);
    }

    static float score(MetricType metric, byte[] query, byte[] data, int off, int len, float queryNormSq, VectorKernels kernels) {
        return switch (metric) {
            case HAMMING -> kernels.hamming(query, 0, data, off, len);
            case JACCARD -> kernels.jaccard(query, 0, data, off, len);
            case L2 -> kernels.int8L2sq(query, 0, data, off, len);
            case IP -> kernels.int8Dot(query, 0, data, off, len);
            case COSINE -> VectorKernels.cosineOf(kernels.int8Dot(query, 0, data, off, len), queryNormSq,
                    kernels.int8Dot(data, off, data, off, len));
        };
    }
}
