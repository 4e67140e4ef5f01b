package io.elanus.vector;

import io.elanus.common.MilvusError;
import io.elanus.common.MilvusException;
import io.elanus.testkit.Seed;
import io.elanus.testkit.Seeds;
import io.milvus.grpc.DataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.BitSet;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(Seeds.class)
class VectorIndexesTest {
    @Test
    void fillsMilvusDefaults() {
        IndexSpec hnsw = VectorIndexes.validate(DataType.FloatVector, 8, Map.of("index_type", "hnsw", "metric_type", "l2"));
        assertEquals("HNSW", hnsw.indexType());
        assertEquals(MetricType.L2, hnsw.metric());
        assertEquals(30, hnsw.intParam("M"));
        assertEquals(360, hnsw.intParam("efConstruction"));
        IndexSpec ivf = VectorIndexes.validate(DataType.Float16Vector, 8, Map.of("index_type", "IVF_FLAT"));
        assertEquals(128, ivf.intParam("nlist"));
        assertEquals(MetricType.COSINE, ivf.metric());
        IndexSpec pq = VectorIndexes.validate(DataType.FloatVector, 8, Map.of("index_type", "IVF_PQ", "m", "4"));
        assertEquals(8, pq.intParam("nbits"));
        IndexSpec sparse = VectorIndexes.validate(DataType.SparseFloatVector, 0, Map.of("index_type", "SPARSE_INVERTED_INDEX"));
        assertEquals("DAAT_MAXSCORE", sparse.param("inverted_index_algo"));
        assertEquals(MetricType.IP, sparse.metric());
    }

    @Test
    void autoIndexMapsByVectorType() {
        IndexSpec auto = VectorIndexes.validate(DataType.FloatVector, 8, Map.of("index_type", "AUTOINDEX", "metric_type", "IP"));
        assertEquals("HNSW", auto.indexType());
        assertEquals(18, auto.intParam("M"));
        assertEquals(240, auto.intParam("efConstruction"));
        assertEquals("HNSW", VectorIndexes.validate(DataType.BFloat16Vector, 8, Map.of()).indexType());
        assertEquals("BIN_IVF_FLAT", VectorIndexes.validate(DataType.BinaryVector, 64, Map.of("index_type", "AUTOINDEX")).indexType());
        assertEquals("SPARSE_INVERTED_INDEX", VectorIndexes.validate(DataType.SparseFloatVector, 0, Map.of()).indexType());
    }

    @Test
    void readsParamsFromTheNestedJsonObject() {
        IndexSpec spec = VectorIndexes.validate(DataType.FloatVector, 8,
                Map.of("index_type", "HNSW", "metric_type", "COSINE", "params", "{\"M\": 16, \"efConstruction\": 200}"));
        assertEquals(16, spec.intParam("M"));
        assertEquals(200, spec.intParam("efConstruction"));
    }

    @Test
    void rejectsBadDefinitionsWithMilvusLikeMessages() {
        assertMessage("invalid index type: NOPE", () -> VectorIndexes.validate(DataType.FloatVector, 8, Map.of("index_type", "NOPE")));
        assertMessage("M out of range: [2, 2048]",
                () -> VectorIndexes.validate(DataType.FloatVector, 8, Map.of("index_type", "HNSW", "M", "1")));
        assertMessage("M out of range: [2, 2048]",
                () -> VectorIndexes.validate(DataType.FloatVector, 8, Map.of("index_type", "HNSW", "M", "4096")));
        assertMessage("nlist out of range: [1, 65536]",
                () -> VectorIndexes.validate(DataType.FloatVector, 8, Map.of("index_type", "IVF_SQ8", "nlist", "0")));
        assertMessage("should be an integer",
                () -> VectorIndexes.validate(DataType.FloatVector, 8, Map.of("index_type", "IVF_FLAT", "nlist", "abc")));
        assertMessage("nbits out of range: [1, 24]",
                () -> VectorIndexes.validate(DataType.FloatVector, 8, Map.of("index_type", "IVF_PQ", "m", "4", "nbits", "25")));
        assertEquals(24, VectorIndexes.validate(DataType.FloatVector, 8, Map.of("index_type", "IVF_PQ", "m", "4", "nbits", "24"))
                .intParam("nbits"));
        assertMessage("multiple of the number of subquantizers",
                () -> VectorIndexes.validate(DataType.FloatVector, 10, Map.of("index_type", "IVF_PQ", "m", "3")));
        assertMessage("can't build with this index",
                () -> VectorIndexes.validate(DataType.BinaryVector, 64, Map.of("index_type", "HNSW")));
        assertMessage("can't build with this index",
                () -> VectorIndexes.validate(DataType.FloatVector, 8, Map.of("index_type", "BIN_FLAT")));
        assertMessage("HAMMING", () -> VectorIndexes.validate(DataType.FloatVector, 8, Map.of("index_type", "FLAT", "metric_type", "HAMMING")));
        assertMessage("metric type", () -> VectorIndexes.validate(DataType.FloatVector, 8, Map.of("index_type", "FLAT", "metric_type", "XX")));
        assertMessage("inverted_index_algo", () -> VectorIndexes.validate(DataType.SparseFloatVector, 0,
                Map.of("index_type", "SPARSE_INVERTED_INDEX", "inverted_index_algo", "FAST")));
    }

    @Test
    void checksSearchParameters(Seed seed) {
        var column = IndexTestData.uniform(300, 8, seed.derive(1));
        FloatQueries q = IndexTestData.queriesNear(column, 2, seed.derive(2));
        VectorIndex hnsw = VectorIndexes.build(VectorIndexes.validate(DataType.FloatVector, 8,
                Map.of("index_type", "HNSW", "metric_type", "L2", "M", "8", "efConstruction", "32")), column);
        assertMessage("ef(5) should be larger than k(10)", () -> hnsw.search(q, 10, null, Map.of("ef", "5")));
        assertEquals(10, hnsw.search(q, 10, null, Map.of("ef", "10")).hitCount(0));
        // k is checked by the proxy; below it, k < 1 is a caller's bug, not a client's invalid parameter
        IllegalArgumentException topK = assertThrows(IllegalArgumentException.class, () -> hnsw.search(q, 0, null, Map.of()));
        assertTrue(topK.getMessage().contains("topk"), topK.getMessage());
        VectorIndex ivf = VectorIndexes.build(VectorIndexes.validate(DataType.FloatVector, 8,
                Map.of("index_type", "IVF_FLAT", "metric_type", "L2", "nlist", "4")), column);
        assertMessage("nprobe out of range: [1, 65536]", () -> ivf.search(q, 10, null, Map.of("nprobe", "0")));
        assertEquals(10, ivf.search(q, 10, null, Map.of("nprobe", "100")).hitCount(0));
        assertMessage("range_filter must be less than radius for L2/HAMMING/JACCARD, range_filter:2.000000, radius:1.000000: invalid parameter",
                () -> ivf.search(q, 10, null, Map.of("radius", "1", "range_filter", "2")));
        assertMessage("range_filter requires radius", () -> ivf.search(q, 10, null, Map.of("range_filter", "2")));
        assertThrows(IllegalArgumentException.class, () -> ivf.search(new FloatQueries(4, new float[][]{{1, 2, 3, 4}}), 3, null, Map.of()));
    }

    @Test
    void emptyAndAllNullColumnsSearchToPadding() {
        BitSet allNull = new BitSet();
        allNull.set(0, 20);
        var column = new io.elanus.segment.FloatVectorColumn(DataType.FloatVector, 4, new float[80], allNull);
        for (String type : new String[]{"FLAT", "HNSW", "IVF_FLAT", "IVF_SQ8", "IVF_PQ"}) {
            VectorIndex index = VectorIndexes.build(VectorIndexes.validate(DataType.FloatVector, 4,
                    Map.of("index_type", type, "metric_type", "L2", "m", "2")), column);
            SearchHits hits = index.search(new FloatQueries(4, new float[][]{{1, 2, 3, 4}}), 5, null, Map.of());
            assertEquals(0, hits.hitCount(0), type);
            assertEquals(20, index.size());
        }
    }

    /** A parameter the client chose is refused as Milvus's "invalid parameter" (1100), with the reason. */
    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        MilvusException e = assertThrows(MilvusException.class, call);
        assertEquals(MilvusError.PARAMETER_INVALID, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' lacks '" + expected + "'");
    }
}
