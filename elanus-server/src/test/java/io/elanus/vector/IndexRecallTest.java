package io.elanus.vector;

import io.elanus.testkit.Seed;
import io.elanus.testkit.Seeds;
import io.milvus.grpc.DataType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** recall@10 of every index type against brute force, on random and clustered data from the run's seed. */
@ExtendWith(Seeds.class)
class IndexRecallTest {
    private static String buildThreadsBefore;

    /**
     * The recall floors hold for the run's seed; a parallel HNSW build's graph also depends on how its threads
     * interleave, so here the indexes are built on one thread and recall is a function of the seed alone.
     * HnswBuilderTest covers the parallel build.
     */
    @BeforeAll
    static void buildOnOneThread() {
        buildThreadsBefore = System.getProperty(HnswBuilder.THREADS_PROPERTY);
        System.setProperty(HnswBuilder.THREADS_PROPERTY, "1");
    }

    @AfterAll
    static void restoreBuildThreads() {
        if (buildThreadsBefore == null) {
            System.clearProperty(HnswBuilder.THREADS_PROPERTY);
        } else {
            System.setProperty(HnswBuilder.THREADS_PROPERTY, buildThreadsBefore);
        }
    }

    private static final int ROWS = 4000;

    /**
     * Floors that hold for any seed: each lies about five standard deviations below the mean recall measured over a
     * dozen seeds (uniform data with 8 of 32 lists probed gives IVF about 0.80; clustered data, 1.0 for IVF_FLAT),
     * and far above what a broken index gives.
     */
    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (boolean clustered : new boolean[]{true, false}) {
            for (MetricType m : List.of(MetricType.L2, MetricType.IP, MetricType.COSINE)) {
                out.add(Arguments.of("FLAT", m, clustered, Map.of(), Map.of(), 1.0));
                out.add(Arguments.of("HNSW", m, clustered, Map.of("M", "16", "efConstruction", "100"), Map.of("ef", "64"), 0.95));
                out.add(Arguments.of("IVF_FLAT", m, clustered, Map.of("nlist", "32"), Map.of("nprobe", "8"), clustered ? 0.95 : 0.65));
                out.add(Arguments.of("IVF_SQ8", m, clustered, Map.of("nlist", "32"), Map.of("nprobe", "8"), clustered ? 0.75 : 0.65));
                out.add(Arguments.of("IVF_PQ", m, clustered, Map.of("nlist", "32", "m", "8", "nbits", "8"), Map.of("nprobe", "8"),
                        clustered ? 0.15 : 0.6));
            }
            out.add(Arguments.of("BIN_FLAT", MetricType.HAMMING, clustered, Map.of(), Map.of(), 1.0));
            out.add(Arguments.of("BIN_FLAT", MetricType.JACCARD, clustered, Map.of(), Map.of(), 1.0));
            out.add(Arguments.of("BIN_IVF_FLAT", MetricType.HAMMING, clustered, Map.of("nlist", "16"), Map.of("nprobe", "16"), 1.0));
            out.add(Arguments.of("BIN_IVF_FLAT", MetricType.JACCARD, clustered, Map.of("nlist", "16"), Map.of("nprobe", "4"), 0.35));
            out.add(Arguments.of("SPARSE_INVERTED_INDEX", MetricType.IP, clustered, Map.of(), Map.of(), 1.0));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} clustered={2}")
    @MethodSource("cases")
    void recallAtTenAboveFloor(String type, MetricType metric, boolean clustered, Map<String, String> build,
                               Map<String, String> search, double floor, Seed seed) {
        IndexTestData.Case data = IndexTestData.Case.of(type, metric, clustered, ROWS, seed.derive(clustered ? 5 : 6));
        VectorIndex index = build(type, metric, data, build);
        SearchHits exact = FlatSearch.search(data.column(), metric, data.queries(), 10, null);
        SearchHits approx = index.search(data.queries(), 10, null, search);
        double recall = IndexTestData.recall(exact, approx);
        assertTrue(recall >= floor, type + " " + metric + " recall " + recall + " < " + floor);
        assertEquals(ROWS, index.size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("denseMetrics")
    void ivfFlatProbingEveryListIsExact(MetricType metric, Seed seed) {
        IndexTestData.Case data = IndexTestData.Case.of("IVF_FLAT", metric, true, ROWS, seed.derive(7));
        VectorIndex index = build("IVF_FLAT", metric, data, Map.of("nlist", "37"));
        SearchHits exact = FlatSearch.search(data.column(), metric, data.queries(), 10, null);
        SearchHits approx = index.search(data.queries(), 10, null, Map.of("nprobe", "37"));
        assertEquals(1.0, IndexTestData.recall(exact, approx));
    }

    @ParameterizedTest(name = "nbits={0}")
    @ValueSource(ints = {12, 17})
    void ivfPqWithMultiByteCodesSearchesAndRoundTrips(int nbits, @TempDir Path dir, Seed seed) throws IOException {
        IndexTestData.Case data = IndexTestData.Case.of("IVF_PQ", MetricType.L2, false, 1500, seed.derive(8));
        VectorIndex index = build("IVF_PQ", MetricType.L2, data, Map.of("nlist", "8", "m", "8", "nbits", Integer.toString(nbits)));
        SearchHits exact = FlatSearch.search(data.column(), MetricType.L2, data.queries(), 10, null);
        SearchHits approx = index.search(data.queries(), 10, null, Map.of("nprobe", "8"));
        double recall = IndexTestData.recall(exact, approx);
        assertTrue(recall >= 0.9, "recall " + recall);
        Path file = dir.resolve("pq.bin");
        try (OutputStream out = Files.newOutputStream(file)) {
            index.writeTo(out);
        }
        assertArrayEquals(approx.rows(), VectorIndexes.load(file).search(data.queries(), 10, null, Map.of("nprobe", "8")).rows());
    }

    static Stream<MetricType> denseMetrics() {
        return Stream.of(MetricType.L2, MetricType.IP, MetricType.COSINE);
    }

    @Test
    void int8VectorsIndexWithHnsw(Seed seed) {
        var column = IndexTestData.int8(IndexTestData.clustered(3000, 32, 20, seed.derive(9)));
        byte[][] qs = new byte[30][];
        for (int i = 0; i < qs.length; i++) {
            qs[i] = java.util.Arrays.copyOfRange(column.data(), i * 97 * 32, i * 97 * 32 + 32);
        }
        ByteQueries queries = new ByteQueries(32, qs);
        for (MetricType m : List.of(MetricType.L2, MetricType.IP, MetricType.COSINE)) {
            IndexSpec spec = VectorIndexes.validate(DataType.Int8Vector, 32, Map.of("index_type", "HNSW", "metric_type", m.name()));
            VectorIndex index = VectorIndexes.build(spec, column);
            SearchHits exact = FlatSearch.search(column, m, queries, 10, null);
            SearchHits approx = index.search(queries, 10, null, Map.of("ef", "64"));
            assertTrue(IndexTestData.recall(exact, approx) >= 0.9, m.name());
            assertEquals(exact.score(0, 0), approx.score(0, 0), 1e-3 * Math.abs(exact.score(0, 0)) + 1e-4);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("int8Cases")
    void int8IndexesKeepBytesAndServeTheSameResultsFromTheirFile(String type, MetricType metric, @TempDir Path dir, Seed seed) throws IOException {
        int rows = 2000;
        int dim = 32;
        var column = IndexTestData.int8(IndexTestData.clustered(rows, dim, 20, seed.derive(10)));
        byte[][] qs = new byte[20][];
        for (int i = 0; i < qs.length; i++) {
            qs[i] = java.util.Arrays.copyOfRange(column.data(), i * 61 * dim, i * 61 * dim + dim);
            qs[i][3] ^= 5;
        }
        ByteQueries queries = new ByteQueries(dim, qs);
        Map<String, String> params = new HashMap<>(Map.of("index_type", type, "metric_type", metric.name()));
        if (type.equals("HNSW")) {
            params.putAll(Map.of("M", "16", "efConstruction", "100"));
        }
        VectorIndex index = VectorIndexes.build(VectorIndexes.validate(DataType.Int8Vector, dim, params), column);
        SearchHits exact = FlatSearch.search(column, metric, queries, 10, null);
        SearchHits hits = index.search(queries, 10, null, Map.of("ef", "64"));
        assertTrue(IndexTestData.recall(exact, hits) >= (type.equals("FLAT") ? 1.0 : 0.9), type + " " + metric);
        // The int8 kernels score exactly: every returned row carries its brute-force score (a graph may miss a
        // neighbour, but never misscores one).
        SearchHits all = FlatSearch.search(column, metric, queries, rows, null);
        for (int q = 0; q < hits.nq(); q++) {
            for (int rank = 0; rank < hits.hitCount(q); rank++) {
                float expected = scoreOf(all, q, hits.row(q, rank));
                assertEquals(expected, hits.score(q, rank), 1e-4 * Math.abs(expected) + 1e-5);
            }
        }
        Path file = dir.resolve("int8.bin");
        try (OutputStream out = Files.newOutputStream(file)) {
            index.writeTo(out);
        }
        assertEquals((long) rows * dim, IndexFile.load(file).section("vectors").byteSize(), "one byte per int8 component");
        SearchHits loaded = VectorIndexes.load(file).search(queries, 10, null, Map.of("ef", "64"));
        assertArrayEquals(hits.rows(), loaded.rows());
        assertArrayEquals(hits.scores(), loaded.scores(), 1e-3f);
    }

    private static float scoreOf(SearchHits all, int query, int row) {
        for (int rank = 0; rank < all.hitCount(query); rank++) {
            if (all.row(query, rank) == row) {
                return all.score(query, rank);
            }
        }
        throw new AssertionError("row " + row + " is not in the brute-force results of query " + query);
    }

    static Stream<Arguments> int8Cases() {
        return Stream.of(MetricType.L2, MetricType.IP, MetricType.COSINE)
                .flatMap(m -> Stream.of(Arguments.of("FLAT", m), Arguments.of("HNSW", m)));
    }

    static VectorIndex build(String type, MetricType metric, IndexTestData.Case data, Map<String, String> build) {
        Map<String, String> params = new HashMap<>(build);
        params.put("index_type", type);
        params.put("metric_type", metric.name());
        int dim = switch (data.column()) {
            case io.elanus.segment.FloatVectorColumn c -> c.dim();
            case io.elanus.segment.ByteVectorColumn c -> c.dim();
            default -> 0;
        };
        IndexSpec spec = VectorIndexes.validate(data.column().type(), dim, params);
        return VectorIndexes.build(spec, data.column());
    }
}
