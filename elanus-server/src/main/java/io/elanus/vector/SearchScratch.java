package io.elanus.vector;

/** Per-thread reusable search state: one top-k heap per query of a batch. */
final class SearchScratch {
    private static final ThreadLocal<SearchScratch> LOCAL = ThreadLocal.withInitial(SearchScratch::new);

    private TopKHeap[] heaps = new TopKHeap[0];

    static SearchScratch get() {
        return LOCAL.get();
    }

    /** {@code nq} heaps, each reset to capacity {@code k}; valid until this thread's next call. */
    TopKHeap[] heaps(int nq, int k) {
        if (heaps.length < nq) {
            TopKHeap[] grown = java.util.Arrays.copyOf(heaps, nq);
            for (int i = heaps.length; i < nq; i++) {
                grown[i] = new TopKHeap();
            }
            heaps = grown;
        }
        for (int i = 0; i < nq; i++) {
            heaps[i].reset(k);
        }
        return heaps;
    }

    static SearchHits collect(MetricType metric, TopKHeap[] heaps, int nq, int k) {
        int[] rows = new int[nq * k];
        float[] scores = new float[nq * k];
        for (int q = 0; q < nq; q++) {
            heaps[q].drainInto(metric, rows, scores, q * k, k);
        }
        return new SearchHits(nq, k, rows, scores);
    }
}
