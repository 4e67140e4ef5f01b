package io.elanus.vector;

import io.elanus.segment.ByteVectorColumn;
import io.elanus.segment.Column;
import io.elanus.segment.FloatVectorColumn;
import io.elanus.segment.SparseVectorColumn;

import java.util.BitSet;
import java.util.Map;

/** Exact (brute-force) search over a vector column: Milvus's FLAT and BIN_FLAT. */
public final class FlatSearch {
    private FlatSearch() {
    }

    /** Exact top-k over the rows of the column allowed by {@code allowed} (null = all rows; rows with a null vector never match). */
    public static SearchHits search(Column column, MetricType metric, QueryVectors queries, int k, BitSet allowed) {
        return search(column, metric, queries, k, allowed, CostRange.ALL, VectorKernels.get());
    }

    /**
     * As {@link #search(Column, MetricType, QueryVectors, int, BitSet)}, honouring Milvus's range-search
     * parameters "radius" and "range_filter" in {@code searchParams} (other keys are ignored).
     */
    public static SearchHits search(Column column, MetricType metric, QueryVectors queries, int k, BitSet allowed,
                                    Map<String, String> searchParams) {
        CostRange range = searchParams == null ? CostRange.ALL : CostRange.parse(metric, searchParams);
        return search(column, metric, queries, k, allowed, range, VectorKernels.get());
    }

    static SearchHits search(Column column, MetricType metric, QueryVectors queries, int k, BitSet allowed,
                             VectorKernels kernels) {
        return search(column, metric, queries, k, allowed, CostRange.ALL, kernels);
    }

    private static SearchHits search(Column column, MetricType metric, QueryVectors queries, int k, BitSet allowed,
                                     CostRange range, VectorKernels kernels) {
        if (k < 1) {
            throw new IllegalArgumentException("topk should be larger than 0, got " + k);
        }
        MetricSupport.check(column.type(), metric);
        BitSet eligible = RowFilter.eligible(column.size(), allowed, column.nulls());
        return switch (column) {
            case FloatVectorColumn c when queries instanceof FloatQueries f -> {
                checkDim(c.dim(), f.dim());
                yield FloatFlatScan.search(c.data(), c.dim(), metric, f.vectors(), k, eligible, range, kernels);
            }
            case ByteVectorColumn c when queries instanceof ByteQueries b -> {
                checkDim(c.dim(), b.dim());
                yield ByteFlatScan.search(c.data(), c.bytesPerRow(), metric, b.vectors(), k, eligible, range, kernels);
            }
            case SparseVectorColumn c when queries instanceof SparseQueries s ->
                    SparseFlatScan.search(c.indices(), c.values(), s, k, eligible, range);
            default -> throw new IllegalArgumentException("query vectors of kind " + queries.getClass().getSimpleName()
                    + " cannot search a field of type " + column.type());
        };
    }

    static void checkDim(int fieldDim, int queryDim) {
        if (fieldDim != queryDim) {
            throw new IllegalArgumentException("the dim (" + queryDim + ") of search data is not equal to the dim (" + fieldDim
                    + ") of the vector field");
        }
    }
}
