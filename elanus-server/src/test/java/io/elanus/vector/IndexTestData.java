package io.elanus.vector;

import io.elanus.segment.ByteVectorColumn;
import io.elanus.segment.Column;
import io.elanus.segment.FloatVectorColumn;
import io.milvus.grpc.DataType;

import java.util.BitSet;
import java.util.Random;

/** Seeded random and clustered data sets, and recall measurement against exact search. */
final class IndexTestData {
    private IndexTestData() {
    }

    static FloatVectorColumn uniform(int rows, int dim, long seed) {
        Random rnd = new Random(seed);
        float[] v = new float[rows * dim];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextFloat() * 2 - 1;
        }
        return new FloatVectorColumn(DataType.FloatVector, dim, v, new BitSet());
    }

    /** Gaussian blobs around {@code clusters} random centres. */
    static FloatVectorColumn clustered(int rows, int dim, int clusters, long seed) {
        Random rnd = new Random(seed);
        float[][] centres = new float[clusters][dim];
        for (float[] c : centres) {
            for (int j = 0; j < dim; j++) {
                c[j] = (float) rnd.nextGaussian() * 3;
            }
        }
        float[] v = new float[rows * dim];
        for (int r = 0; r < rows; r++) {
            float[] c = centres[rnd.nextInt(clusters)];
            for (int j = 0; j < dim; j++) {
                v[r * dim + j] = c[j] + (float) rnd.nextGaussian() * 0.5f;
            }
        }
        return new FloatVectorColumn(DataType.FloatVector, dim, v, new BitSet());
    }

    static ByteVectorColumn binary(int rows, int dimBits, long seed) {
        Random rnd = new Random(seed);
        byte[] v = new byte[rows * dimBits / 8];
        rnd.nextBytes(v);
        return new ByteVectorColumn(DataType.BinaryVector, dimBits, v, new BitSet());
    }

    /** Queries near existing rows (a row plus a little noise), like real workloads. */
    static FloatQueries queriesNear(FloatVectorColumn column, int nq, long seed) {
        Random rnd = new Random(seed);
        int dim = column.dim();
        float[][] qs = new float[nq][dim];
        for (float[] q : qs) {
            int row = rnd.nextInt(column.size());
            for (int j = 0; j < dim; j++) {
                q[j] = column.data()[row * dim + j] + (float) rnd.nextGaussian() * 0.1f;
            }
        }
        return new FloatQueries(dim, qs);
    }

    /**
     * Mean fraction of the exact top-k that {@code approx} matched: a hit counts when its row is in the
     * exact top-k or its score ties the exact k-th score (integer metrics such as HAMMING tie often).
     */
    static double recall(SearchHits exact, SearchHits approx) {
        int found = 0;
        int total = 0;
        for (int q = 0; q < exact.nq(); q++) {
            int n = exact.hitCount(q);
            total += n;
            if (n == 0) {
                continue;
            }
            float kth = exact.score(q, n - 1);
            java.util.Set<Integer> rows = new java.util.HashSet<>();
            for (int i = 0; i < n; i++) {
                rows.add(exact.row(q, i));
            }
            int matched = 0;
            for (int j = 0; j < Math.min(n, approx.hitCount(q)); j++) {
                float tol = 1e-4f * Math.max(1f, Math.abs(kth));
                if (rows.contains(approx.row(q, j)) || Math.abs(approx.score(q, j) - kth) <= tol) {
                    matched++;
                }
            }
            found += matched;
        }
        return total == 0 ? 1 : (double) found / total;
    }

    static io.elanus.segment.SparseVectorColumn sparse(int rows, int dims, int nnz, long seed) {
        Random rnd = new Random(seed);
        int[][] idx = new int[rows][];
        float[][] val = new float[rows][];
        for (int r = 0; r < rows; r++) {
            idx[r] = rnd.ints(0, dims).distinct().limit(1 + rnd.nextInt(nnz)).sorted().toArray();
            val[r] = new float[idx[r].length];
            for (int j = 0; j < val[r].length; j++) {
                val[r][j] = rnd.nextFloat();
            }
        }
        return new io.elanus.segment.SparseVectorColumn(idx, val, new BitSet());
    }

    static SparseQueries sparseQueries(int nq, int dims, int nnz, long seed) {
        Random rnd = new Random(seed);
        int[][] idx = new int[nq][];
        float[][] val = new float[nq][];
        for (int q = 0; q < nq; q++) {
            idx[q] = rnd.ints(0, dims).distinct().limit(nnz).toArray();
            val[q] = new float[nnz];
            for (int j = 0; j < nnz; j++) {
                val[q][j] = rnd.nextFloat();
            }
        }
        return new SparseQueries(idx, val);
    }

    static ByteQueries binaryQueriesNear(ByteVectorColumn column, int nq, long seed) {
        Random rnd = new Random(seed);
        int bytes = column.bytesPerRow();
        byte[][] qs = new byte[nq][bytes];
        for (byte[] q : qs) {
            System.arraycopy(column.data(), rnd.nextInt(column.size()) * bytes, q, 0, bytes);
            for (int flips = 0; flips < 3; flips++) {
                q[rnd.nextInt(bytes)] ^= (byte) (1 << rnd.nextInt(8));
            }
        }
        return new ByteQueries(column.dim(), qs);
    }

    static ByteVectorColumn int8(FloatVectorColumn source) {
        byte[] v = new byte[source.data().length];
        for (int i = 0; i < v.length; i++) {
            v[i] = (byte) Math.max(-127, Math.min(127, Math.round(source.data()[i] * 20)));
        }
        return new ByteVectorColumn(DataType.Int8Vector, source.dim(), v, new BitSet());
    }

    /** A data set (column plus queries near its rows) for one index type and metric. */
    record Case(Column column, QueryVectors queries) {
        static Case of(String indexType, MetricType metric, boolean clustered, int rows, long seed) {
            return switch (indexType) {
                case "BIN_FLAT", "BIN_IVF_FLAT" -> {
                    ByteVectorColumn c = binary(rows, 128, seed);
                    yield new Case(c, binaryQueriesNear(c, 40, seed + 1));
                }
                case "SPARSE_INVERTED_INDEX" -> new Case(sparse(rows, 300, 12, seed), sparseQueries(40, 300, 8, seed + 1));
                default -> {
                    FloatVectorColumn c = clustered ? clustered(rows, 32, 30, seed) : uniform(rows, 24, seed);
                    yield new Case(c, queriesNear(c, 40, seed + 1));
                }
            };
        }
    }
}
