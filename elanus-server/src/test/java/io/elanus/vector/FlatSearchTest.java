package io.elanus.vector;

import io.elanus.common.MilvusError;
import io.elanus.common.MilvusException;
import io.elanus.segment.ByteVectorColumn;
import io.elanus.segment.Column;
import io.elanus.segment.FloatVectorColumn;
import io.elanus.segment.SparseVectorColumn;
import io.elanus.testkit.Seed;
import io.elanus.testkit.Seeds;
import io.milvus.grpc.DataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(Seeds.class)
class FlatSearchTest {
    private static final int ROWS = 3000;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (VectorKernels kernels : List.of(VectorKernels.scalar(), new SimdKernels())) {
            for (int dim : new int[]{1, 7, 17, 100, 129}) {
                for (MetricType m : List.of(MetricType.L2, MetricType.IP, MetricType.COSINE)) {
                    out.add(Arguments.of(kernels, DataType.FloatVector, m, dim));
                    out.add(Arguments.of(kernels, DataType.Int8Vector, m, dim));
                }
            }
            for (int dim : new int[]{8, 24, 136, 520}) {
                out.add(Arguments.of(kernels, DataType.BinaryVector, MetricType.HAMMING, dim));
                out.add(Arguments.of(kernels, DataType.BinaryVector, MetricType.JACCARD, dim));
            }
            out.add(Arguments.of(kernels, DataType.SparseFloatVector, MetricType.IP, 0));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2} dim={3}")
    @MethodSource("cases")
    void matchesBruteForceReferenceWithFilterAndNulls(VectorKernels kernels, DataType type, MetricType metric, int dim, Seed seed) {
        Random rnd = seed.random(dim * 31L + metric.ordinal());
        TestData data = TestData.random(type, dim, ROWS, rnd);
        BitSet nulls = data.column().nulls();
        BitSet allowed = new BitSet();
        for (int i = 0; i < ROWS; i++) {
            if (rnd.nextInt(3) > 0) {
                allowed.set(i);
            }
        }
        QueryVectors queries = data.queries(5, rnd);
        for (BitSet filter : new BitSet[]{null, allowed}) {
            SearchHits hits = FlatSearch.search(data.column(), metric, queries, 10, filter, kernels);
            assertMatchesReference(data, metric, queries, hits, filter, nulls);
        }
    }

    @Test
    void returnsEveryQualifyingRowAndPadsWhenFewerThanK(Seed seed) {
        Random rnd = seed.random(3);
        TestData data = TestData.random(DataType.FloatVector, 16, 500, rnd);
        BitSet allowed = new BitSet();
        allowed.set(10);
        allowed.set(20);
        allowed.set(30);
        allowed.set(data.column().nulls().nextSetBit(0));
        SearchHits hits = FlatSearch.search(data.column(), MetricType.L2, data.queries(2, rnd), 5, allowed);
        for (int q = 0; q < 2; q++) {
            assertEquals(3, hits.hitCount(q));
            assertEquals(-1, hits.row(q, 3));
            assertEquals(Float.POSITIVE_INFINITY, hits.score(q, 4));
        }
    }

    @ParameterizedTest(name = "{1} {2}")
    @MethodSource("cases")
    void rangeSearchReturnsExactlyTheRowsInsideTheRange(VectorKernels kernels, DataType type, MetricType metric, int dim, Seed seed) {
        Random rnd = seed.random(dim * 7L + metric.ordinal());
        TestData data = TestData.random(type, dim, 800, rnd);
        QueryVectors queries = data.queries(3, rnd);
        SearchHits all = FlatSearch.search(data.column(), metric, queries, 800, null);
        // thresholds halfway between distinct scores, so float rounding cannot move a row across them
        float radius = between(all, Math.min(60, all.hitCount(0) - 2));
        float rangeFilter = between(all, Math.min(10, all.hitCount(0) - 2));
        if (Float.isNaN(radius) || Float.isNaN(rangeFilter) || radius == rangeFilter) {
            return;
        }
        SearchHits hits = FlatSearch.search(data.column(), metric, queries, 800, null,
                Map.of("radius", Float.toString(radius), "range_filter", Float.toString(rangeFilter)));
        int expected = 0;
        for (int i = 0; i < all.hitCount(0); i++) {
            float s = all.score(0, i);
            if (metric.largerIsBetter() ? s > radius && s <= rangeFilter : s < radius && s >= rangeFilter) {
                expected++;
            }
        }
        assertEquals(expected, hits.hitCount(0));
        assertTrue(expected > 0);
    }

    /** A value strictly between query 0's score at {@code rank} and the next different score; NaN if none. */
    private static float between(SearchHits hits, int rank) {
        float s = hits.score(0, rank);
        for (int i = rank + 1; i < hits.hitCount(0); i++) {
            if (hits.score(0, i) != s) {
                return (s + hits.score(0, i)) / 2;
            }
        }
        return Float.NaN;
    }

    @Test
    void rejectsMetricsTheVectorTypeDoesNotSupport(Seed seed) {
        TestData data = TestData.random(DataType.BinaryVector, 16, 10, seed.random(1));
        MilvusException e = assertThrows(MilvusException.class,
                () -> FlatSearch.search(data.column(), MetricType.L2, data.queries(1, seed.random(2)), 3, null));
        assertEquals(MilvusError.PARAMETER_INVALID, e.kind());
        assertTrue(e.getMessage().contains("L2"));
        TestData floats = TestData.random(DataType.FloatVector, 4, 10, seed.random(1));
        assertThrows(IllegalArgumentException.class,
                () -> FlatSearch.search(floats.column(), MetricType.L2, new FloatQueries(3, new float[][]{{1, 2, 3}}), 3, null));
    }

    static void assertMatchesReference(TestData data, MetricType metric, QueryVectors queries, SearchHits hits,
                                       BitSet filter, BitSet nulls) {
        int n = data.column().size();
        for (int q = 0; q < queries.count(); q++) {
            List<float[]> expected = new ArrayList<>();
            for (int row = 0; row < n; row++) {
                if ((filter == null || filter.get(row)) && !nulls.get(row) && data.matches(queries, q, row)) {
                    expected.add(new float[]{data.score(metric, queries, q, row), row});
                }
            }
            expected.sort((a, b) -> metric.largerIsBetter() ? Float.compare(b[0], a[0]) : Float.compare(a[0], b[0]));
            int want = Math.min(hits.k(), expected.size());
            assertEquals(want, hits.hitCount(q));
            for (int r = 0; r < want; r++) {
                int row = hits.row(q, r);
                float tol = 1e-3f * Math.max(1f, Math.abs(expected.get(r)[0]));
                assertEquals(expected.get(r)[0], hits.score(q, r), tol, "rank " + r);
                assertTrue(filter == null || filter.get(row));
                assertTrue(!nulls.get(row));
                assertEquals(data.score(metric, queries, q, row), hits.score(q, r), tol);
            }
        }
    }

    /** A column, query generator and double-precision reference scorer. */
    record TestData(Column column) {
        static TestData random(DataType type, int dim, int rows, Random rnd) {
            BitSet nulls = new BitSet();
            for (int i = 0; i < rows; i += 37) {
                nulls.set(i);
            }
            Column column = switch (type) {
                case FloatVector -> {
                    float[] v = new float[rows * dim];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = (float) rnd.nextGaussian();
                    }
                    nulls.stream().forEach(r -> java.util.Arrays.fill(v, r * dim, r * dim + dim, 0f));
                    yield new FloatVectorColumn(type, dim, v, nulls);
                }
                case Int8Vector, BinaryVector -> {
                    int bytes = type == DataType.BinaryVector ? dim / 8 : dim;
                    byte[] v = new byte[rows * bytes];
                    rnd.nextBytes(v);
                    yield new ByteVectorColumn(type, dim, v, nulls);
                }
                case SparseFloatVector -> {
                    int[][] idx = new int[rows][];
                    float[][] val = new float[rows][];
                    for (int r = 0; r < rows; r++) {
                        int nnz = 1 + rnd.nextInt(8);
                        idx[r] = rnd.ints(0, 200).distinct().limit(nnz).sorted().toArray();
                        val[r] = new float[idx[r].length];
                        for (int j = 0; j < val[r].length; j++) {
                            val[r][j] = rnd.nextFloat();
                        }
                    }
                    yield new SparseVectorColumn(idx, val, nulls);
                }
                default -> throw new IllegalArgumentException(type.name());
            };
            return new TestData(column);
        }

        QueryVectors queries(int nq, Random rnd) {
            return switch (column) {
                case FloatVectorColumn c -> {
                    float[][] qs = new float[nq][c.dim()];
                    for (float[] q : qs) {
                        for (int i = 0; i < q.length; i++) {
                            q[i] = (float) rnd.nextGaussian();
                        }
                    }
                    yield new FloatQueries(c.dim(), qs);
                }
                case ByteVectorColumn c -> {
                    byte[][] qs = new byte[nq][c.bytesPerRow()];
                    for (byte[] q : qs) {
                        rnd.nextBytes(q);
                    }
                    yield new ByteQueries(c.dim(), qs);
                }
                case SparseVectorColumn c -> {
                    int[][] idx = new int[nq][];
                    float[][] val = new float[nq][];
                    for (int q = 0; q < nq; q++) {
                        // unsorted on purpose
                        idx[q] = rnd.ints(0, 200).distinct().limit(6).toArray();
                        val[q] = new float[6];
                        for (int j = 0; j < 6; j++) {
                            val[q][j] = rnd.nextFloat();
                        }
                    }
                    yield new SparseQueries(idx, val);
                }
                default -> throw new IllegalStateException();
            };
        }

        boolean matches(QueryVectors queries, int q, int row) {
            if (column instanceof SparseVectorColumn c && queries instanceof SparseQueries s) {
                for (int i : s.indices()[q]) {
                    for (int j : c.indices()[row]) {
                        if (i == j) {
                            return true;
                        }
                    }
                }
                return false;
            }
            return true;
        }

        float score(MetricType metric, QueryVectors queries, int q, int row) {
            double[] x;
            double[] y;
            switch (column) {
                case FloatVectorColumn c -> {
                    y = new double[c.dim()];
                    for (int i = 0; i < c.dim(); i++) {
                        y[i] = c.data()[row * c.dim() + i];
                    }
                    x = toDouble(((FloatQueries) queries).vectors()[q]);
                }
                case ByteVectorColumn c -> {
                    byte[] query = ((ByteQueries) queries).vectors()[q];
                    int b = c.bytesPerRow();
                    if (c.type() == DataType.BinaryVector) {
                        int and = 0, or = 0, xor = 0;
                        for (int i = 0; i < b; i++) {
                            int u = query[i] & 0xff, v = c.data()[row * b + i] & 0xff;
                            and += Integer.bitCount(u & v);
                            or += Integer.bitCount(u | v);
                            xor += Integer.bitCount(u ^ v);
                        }
                        return metric == MetricType.HAMMING ? xor : (or == 0 ? 0f : 1f - (float) and / or);
                    }
                    x = new double[b];
                    y = new double[b];
                    for (int i = 0; i < b; i++) {
                        x[i] = query[i];
                        y[i] = c.data()[row * b + i];
                    }
                }
                case SparseVectorColumn c -> {
                    SparseQueries s = (SparseQueries) queries;
                    double sum = 0;
                    for (int i = 0; i < s.indices()[q].length; i++) {
                        for (int j = 0; j < c.indices()[row].length; j++) {
                            if (s.indices()[q][i] == c.indices()[row][j]) {
                                sum += s.values()[q][i] * c.values()[row][j];
                            }
                        }
                    }
                    return (float) sum;
                }
                default -> throw new IllegalStateException();
            }
            double dot = 0, l2 = 0, xx = 0, yy = 0;
            for (int i = 0; i < x.length; i++) {
                dot += x[i] * y[i];
                l2 += (x[i] - y[i]) * (x[i] - y[i]);
                xx += x[i] * x[i];
                yy += y[i] * y[i];
            }
            return (float) switch (metric) {
                case L2 -> l2;
                case IP -> dot;
                case COSINE -> xx * yy == 0 ? 0 : dot / Math.sqrt(xx * yy);
                default -> throw new IllegalStateException();
            };
        }

        private static double[] toDouble(float[] v) {
            double[] d = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                d[i] = v[i];
            }
            return d;
        }
    }
}
