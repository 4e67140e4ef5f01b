package io.elanus.vector;

import io.elanus.segment.ByteVectorColumn;
import io.elanus.segment.Column;
import io.elanus.segment.FloatVectorColumn;
import io.elanus.segment.SparseVectorColumn;

import java.util.BitSet;

/** Exact (brute-force) search over a vector column: Milvus's FLAT and BIN_FLAT. */
public final class FlatSearch {
    private FlatSearch() {
    }

    /** Exact top-k over the rows of the column allowed by {@code allowed} (null = all rows; rows with a null vector never match). */
    public static SearchHits search(Column column, MetricType metric, QueryVectors queries, int k, BitSet allowed) {
        return search(column, metric, queries, k, allowed, VectorKernels.get());
    }

    static SearchHits search(Column column, MetricType metric, QueryVectors queries, int k, BitSet allowed,
                             VectorKernels kernels) {
        if (k < 1) {
            throw new IllegalArgumentException("topk should be larger than 0, got " + k);
        }
        MetricSupport.check(column.type(), metric);
        BitSet eligible = RowFilter.eligible(column.size(), allowed, column.nulls());
        return switch (column) {
            case FloatVectorColumn c when queries instanceof FloatQueries f -> {
                checkDim(c.dim(), f.dim());
                yield FloatFlatScan.search(c.data(), c.dim(), metric, f.vectors(), k, eligible, kernels);
            }
            case ByteVectorColumn c when queries instanceof ByteQueries b -> {
                checkDim(c.dim(), b.dim());
                yield ByteFlatScan.search(c.data(), c.bytesPerRow(), metric, b.vectors(), k, eligible, kernels);
            }
            case SparseVectorColumn c when queries instanceof SparseQueries s ->
                    SparseFlatScan.search(c.indices(), c.values(), s, k, eligible);
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
