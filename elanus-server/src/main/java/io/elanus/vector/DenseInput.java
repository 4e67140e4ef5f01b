package io.elanus.vector;

import io.elanus.segment.ByteVectorColumn;
import io.elanus.segment.Column;
import io.elanus.segment.FloatVectorColumn;

/**
 * The non-null rows of a dense column as a contiguous matrix ready for indexing: floats (for COSINE
 * every vector scaled to unit length, so cosine becomes a dot product), or the raw bytes of an int8
 * column.
 *
 * @param vectors {@code count * dim} floats, node-major; null for an int8 column
 * @param int8    {@code count * dim} bytes, node-major, for an int8 column; null otherwise
 * @param rows    the column row of each node
 */
record DenseInput(int dim, float[] vectors, byte[] int8, int[] rows, int columnSize) {

    static DenseInput of(Column column, MetricType metric) {
        int size = column.size();
        int[] rows = column.nulls().isEmpty() ? identity(size)
                : java.util.stream.IntStream.range(0, size).filter(r -> !column.isNull(r)).toArray();
        return switch (column) {
            case FloatVectorColumn c -> {
                int dim = c.dim();
                float[] out = new float[rows.length * dim];
                for (int i = 0; i < rows.length; i++) {
                    System.arraycopy(c.data(), rows[i] * dim, out, i * dim, dim);
                }
                if (metric == MetricType.COSINE) {
                    normalizeRows(out, dim);
                }
                yield new DenseInput(dim, out, null, rows, size);
            }
            case ByteVectorColumn c -> {
                int dim = c.dim();
                byte[] out = new byte[rows.length * dim];
                for (int i = 0; i < rows.length; i++) {
                    System.arraycopy(c.data(), rows[i] * dim, out, i * dim, dim);
                }
                yield new DenseInput(dim, null, out, rows, size);
            }
            default -> throw new IllegalArgumentException("a dense vector index cannot be built on " + column.type());
        };
    }

    int count() {
        return rows.length;
    }

    /** The queries as floats (int8 widened), unit length for COSINE. */
    static float[][] queries(QueryVectors q, int dim, MetricType metric) {
        float[][] out = switch (q) {
            case FloatQueries f -> {
                FlatSearch.checkDim(dim, f.dim());
                yield f.vectors();
            }
            case ByteQueries b -> {
                FlatSearch.checkDim(dim, b.dim());
                float[][] w = new float[b.count()][dim];
                for (int i = 0; i < w.length; i++) {
                    for (int j = 0; j < dim; j++) {
                        w[i][j] = b.vectors()[i][j];
                    }
                }
                yield w;
            }
            case SparseQueries s -> throw new IllegalArgumentException("sparse queries cannot search a dense vector index");
        };
        if (metric == MetricType.COSINE) {
            float[][] n = new float[out.length][];
            for (int i = 0; i < out.length; i++) {
                n[i] = NormCache.normalized(out[i], VectorKernels.get());
            }
            return n;
        }
        return out;
    }

    static void normalizeRows(float[] data, int dim) {
        VectorKernels k = VectorKernels.get();
        for (int off = 0; off < data.length; off += dim) {
            float sq = k.dot(data, off, data, off, dim);
            if (sq > 0) {
                float s = (float) (1.0 / Math.sqrt(sq));
                for (int j = 0; j < dim; j++) {
                    data[off + j] *= s;
                }
            }
        }
    }

    static int[] identity(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }
}
