package io.elanus.vector;

import java.util.BitSet;

/**
 * Exact inner-product search over sparse vectors. Like an inverted index, it only returns rows
 * sharing at least one non-zero dimension with the query.
 */
final class SparseFlatScan {
    private SparseFlatScan() {
    }

    static SearchHits search(int[][] indices, float[][] values, SparseQueries queries, int k, BitSet eligible, CostRange range) {
        int n = indices.length;
        int nq = queries.count();
        TopKHeap[] heaps = SearchScratch.get().heaps(nq, k);
        for (int q = 0; q < nq; q++) {
            SparseVector query = SparseVector.sorted(queries.indices()[q], queries.values()[q]);
            TopKHeap heap = heaps[q];
            int row = eligible == null ? 0 : eligible.nextSetBit(0);
            while (row >= 0 && row < n) {
                int[] rowIndices = indices[row];
                if (rowIndices != null && query.overlaps(rowIndices)) {
                    float cost = -query.dot(rowIndices, values[row]);
                    if (range.contains(cost)) {
                        heap.offer(cost, row);
                    }
                }
                row = eligible == null ? row + 1 : eligible.nextSetBit(row + 1);
            }
        }
        return SearchScratch.collect(MetricType.IP, heaps, nq, k);
    }
}
