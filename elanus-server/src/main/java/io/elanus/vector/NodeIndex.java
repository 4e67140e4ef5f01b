package io.elanus.vector;

import java.util.BitSet;
import java.util.Map;

/**
 * The search flow shared by all indexes, over node ids (the non-null rows, in index order). When
 * the filter admits only a few nodes, or the approximate search finds fewer hits than the filter
 * admits (up to k), the admitted nodes are scored exactly instead, so a filtered search never
 * returns fewer hits than exist.
 *
 * @param <Q> a prepared query
 */
abstract class NodeIndex<Q> implements VectorIndex {
    /** Filters admitting at most this share of the vectors are searched exactly. */
    private static final double EXACT_FRACTION = 0.03;

    protected final MetricType metric;
    protected final NodeRows nodes;

    NodeIndex(MetricType metric, NodeRows nodes) {
        this.metric = metric;
        this.nodes = nodes;
    }

    @Override
    public MetricType metric() {
        return metric;
    }

    @Override
    public int size() {
        return nodes.columnSize();
    }

    /** Checks and converts the queries (e.g. COSINE queries to unit length). */
    abstract Q[] prepare(QueryVectors queries);

    /** Parses and checks the index's own search parameter (ef, nprobe); returns the search width. */
    abstract int searchWidth(int k, Map<String, String> params);

    /** Approximate search; offers accepted (allowed, in-range) nodes with their costs to {@code out}. */
    abstract void approximate(Q query, int k, int width, BitSet allowed, CostRange range, TopKHeap out);

    /** Scores nodes as the index stores them, for one prepared query (used by the exact fallback). */
    abstract NodeScorer scorer(Q query);

    @Override
    public final SearchHits search(QueryVectors q, int k, BitSet allowed, Map<String, String> searchParams) {
        if (k < 1) {
            throw new IllegalArgumentException("topk should be larger than 0, got " + k);
        }
        Map<String, String> params = searchParams == null ? Map.of() : searchParams;
        CostRange range = CostRange.parse(metric, params);
        int width = searchWidth(k, params);
        Q[] queries = prepare(q);
        int eligible = nodes.eligibleCount(allowed);
        boolean exact = eligible <= Math.max(4L * k, (long) (nodes.count() * EXACT_FRACTION));
        TopKHeap[] heaps = SearchScratch.get().heaps(queries.length, k);
        for (int i = 0; i < queries.length; i++) {
            TopKHeap heap = heaps[i];
            if (!exact) {
                approximate(queries[i], k, width, allowed, range, heap);
            }
            if (exact || (range.isAll() && heap.size() < Math.min(k, eligible))) {
                heap.reset(k);
                exactScan(queries[i], allowed, range, heap);
            }
        }
        SearchHits hits = SearchScratch.collect(metric, heaps, queries.length, k);
        int[] rows = hits.rows();
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] >= 0) {
                rows[i] = nodes.row(rows[i]);
            }
        }
        return hits;
    }

    void exactScan(Q query, BitSet allowed, CostRange range, TopKHeap heap) {
        NodeScorer scorer = scorer(query);
        nodes.forEachEligible(allowed, node -> {
            float cost = scorer.cost(node);
            if (range.contains(cost)) {
                heap.offer(cost, node);
            }
        });
    }
}
