package io.elanus.vector;

import io.elanus.common.MilvusError;
import io.elanus.common.MilvusException;
import io.elanus.segment.ByteVectorColumn;
import io.elanus.segment.Column;
import io.elanus.segment.FloatVectorColumn;
import io.elanus.segment.SparseVectorColumn;
import io.elanus.testkit.Seed;
import io.elanus.testkit.Seeds;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Filters, null rows, range search and index files, for every index type. */
@ExtendWith(Seeds.class)
class IndexBehaviourTest {
    private static final int ROWS = 3000;

    @TempDir
    Path dir;

    static Stream<Arguments> types() {
        return Stream.of(
                Arguments.of("FLAT", MetricType.L2, Map.of()),
                Arguments.of("HNSW", MetricType.COSINE, Map.of("M", "12", "efConstruction", "64")),
                Arguments.of("HNSW", MetricType.IP, Map.of("M", "12", "efConstruction", "64")),
                Arguments.of("IVF_FLAT", MetricType.L2, Map.of("nlist", "16")),
                Arguments.of("IVF_SQ8", MetricType.IP, Map.of("nlist", "16")),
                Arguments.of("IVF_PQ", MetricType.L2, Map.of("nlist", "16", "m", "8")),
                Arguments.of("BIN_FLAT", MetricType.JACCARD, Map.of()),
                Arguments.of("BIN_IVF_FLAT", MetricType.HAMMING, Map.of("nlist", "16")),
                Arguments.of("SPARSE_INVERTED_INDEX", MetricType.IP, Map.of()));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("types")
    void filteredSearchReturnsEveryAdmittedRowWhenFewerThanLimit(String type, MetricType metric, Map<String, String> build, Seed seed) {
        IndexTestData.Case data = withNulls(IndexTestData.Case.of(type, metric, true, ROWS, seed.derive(21)));
        VectorIndex index = IndexRecallTest.build(type, metric, data, build);
        Random rnd = seed.random(4);
        BitSet few = new BitSet();
        while (few.cardinality() < 7) {
            few.set(rnd.nextInt(ROWS));
        }
        few.set(data.column().nulls().nextSetBit(0));
        BitSet some = new BitSet();
        for (int r = 0; r < ROWS; r++) {
            if (rnd.nextInt(100) < 5) {
                some.set(r);
            }
        }
        for (BitSet filter : List.of(few, some)) {
            SearchHits exact = FlatSearch.search(data.column(), metric, data.queries(), 10, filter);
            SearchHits hits = index.search(data.queries(), 10, filter, Map.of());
            for (int q = 0; q < hits.nq(); q++) {
                assertEquals(exact.hitCount(q), hits.hitCount(q), "query " + q);
                for (int i = 0; i < hits.hitCount(q); i++) {
                    assertTrue(filter.get(hits.row(q, i)));
                    assertTrue(!data.column().isNull(hits.row(q, i)));
                }
            }
        }
        SearchHits all = index.search(data.queries(), 10, null, Map.of());
        for (int q = 0; q < all.nq(); q++) {
            for (int i = 0; i < all.hitCount(q); i++) {
                assertTrue(!data.column().isNull(all.row(q, i)));
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("types")
    void rangeSearchKeepsOnlyScoresInsideTheRange(String type, MetricType metric, Map<String, String> build, Seed seed) {
        IndexTestData.Case data = IndexTestData.Case.of(type, metric, true, ROWS, seed.derive(22));
        VectorIndex index = IndexRecallTest.build(type, metric, data, build);
        SearchHits exact = FlatSearch.search(data.column(), metric, data.queries(), 50, null);
        float radius = exact.score(0, 40);
        float rangeFilter = exact.score(0, 5);
        SearchHits hits = index.search(data.queries(), 20, null,
                Map.of("radius", Float.toString(radius), "range_filter", Float.toString(rangeFilter)));
        for (int q = 0; q < hits.nq(); q++) {
            for (int i = 0; i < hits.hitCount(q); i++) {
                float s = hits.score(q, i);
                if (metric.largerIsBetter()) {
                    assertTrue(s > radius && s <= rangeFilter + 1e-5f, s + " outside (" + radius + ", " + rangeFilter + "]");
                } else {
                    assertTrue(s < radius && s >= rangeFilter - 1e-5f, s + " outside [" + rangeFilter + ", " + radius + ")");
                }
            }
        }
        assertTrue(hits.hitCount(0) > 0);
        String bad = metric.largerIsBetter() ? "0.1" : "100";
        MilvusException e = assertThrows(MilvusException.class, () -> index.search(data.queries(), 10, null,
                Map.of("radius", metric.largerIsBetter() ? "0.5" : "1", "range_filter", bad)));
        assertEquals(MilvusError.PARAMETER_INVALID, e.kind(), e.getMessage());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("types")
    void fileRoundTripServesTheSameResultsAndRejectsCorruption(String type, MetricType metric, Map<String, String> build, Seed seed)
            throws IOException {
        IndexTestData.Case data = withNulls(IndexTestData.Case.of(type, metric, false, 1500, seed.derive(23)));
        VectorIndex index = IndexRecallTest.build(type, metric, data, build);
        Path file = dir.resolve("index.bin");
        try (OutputStream out = Files.newOutputStream(file)) {
            index.writeTo(out);
        }
        VectorIndex loaded = VectorIndexes.load(file);
        assertEquals(index.indexType(), loaded.indexType());
        assertEquals(index.metric(), loaded.metric());
        assertEquals(index.size(), loaded.size());
        BitSet filter = new BitSet();
        filter.set(0, 900);
        for (BitSet f : Arrays.asList(null, filter)) {
            SearchHits before = index.search(data.queries(), 10, f, Map.of());
            SearchHits after = loaded.search(data.queries(), 10, f, Map.of());
            assertArrayEquals(before.rows(), after.rows());
            // the Vector API's lane reduction order differs between JIT tiers: allow float rounding
            assertArrayEquals(before.scores(), after.scores(), 1e-3f);
        }

        byte[] bytes = Files.readAllBytes(file);
        Random rnd = seed.random(5);
        for (int trial = 0; trial < 6; trial++) {
            int at = trial == 0 ? 20 : trial == 1 ? bytes.length - 3 : rnd.nextInt(bytes.length);
            byte[] corrupt = bytes.clone();
            corrupt[at] ^= (byte) (1 << rnd.nextInt(8));
            Path bad = dir.resolve("corrupt-" + trial + ".bin");
            Files.write(bad, corrupt);
            assertThrows(IOException.class, () -> VectorIndexes.load(bad), "flipped byte " + at);
        }
        Path truncated = dir.resolve("truncated.bin");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        assertThrows(IOException.class, () -> VectorIndexes.load(truncated));
    }

    /** The same data with every 50th row's vector null. */
    static IndexTestData.Case withNulls(IndexTestData.Case data) {
        BitSet nulls = new BitSet();
        for (int r = 3; r < data.column().size(); r += 50) {
            nulls.set(r);
        }
        Column c = switch (data.column()) {
            case FloatVectorColumn f -> new FloatVectorColumn(f.type(), f.dim(), f.data(), nulls);
            case ByteVectorColumn b -> new ByteVectorColumn(b.type(), b.dim(), b.data(), nulls);
            case SparseVectorColumn s -> new SparseVectorColumn(s.indices(), s.values(), nulls);
            default -> throw new IllegalStateException();
        };
        return new IndexTestData.Case(c, data.queries());
    }
}
