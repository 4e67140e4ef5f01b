package io.elanus.it;

import com.google.gson.JsonObject;
import io.elanus.testkit.Seed;
import io.elanus.testkit.Seeds;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.common.DataType;
import io.milvus.v2.common.IndexParam;
import io.milvus.v2.service.collection.request.AddFieldReq;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.vector.request.AnnSearchReq;
import io.milvus.v2.service.vector.request.HybridSearchReq;
import io.milvus.v2.service.vector.request.InsertReq;
import io.milvus.v2.service.vector.request.data.FloatVec;
import io.milvus.v2.service.vector.request.ranker.RRFRanker;
import io.milvus.v2.service.vector.request.ranker.WeightedRanker;
import io.milvus.v2.service.vector.response.SearchResp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.elanus.it.MilvusAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Hybrid search over two vector fields, fused with RRF and with a weighted sum; the fused scores are
 * recomputed here from brute-force rankings of each field.
 */
@ExtendWith(Seeds.class)
class HybridSearchTest extends SharedServerTestBase {
    private static final int DIM = 8;
    private static final int ROWS = 400;
    private static final int SUB_LIMIT = 20;
    private static final int LIMIT = 10;
    private static String collection;
    private static float[][] dense;
    private static float[][] other;

    @BeforeAll
    static void createData(Seed seed) {
        collection = uniqueName("hybrid");
        CreateCollectionReq.CollectionSchema schema = schemaWithId();
        schema.addField(AddFieldReq.builder().fieldName("dense").dataType(DataType.FloatVector).dimension(DIM).build());
        schema.addField(AddFieldReq.builder().fieldName("other").dataType(DataType.FloatVector).dimension(DIM).build());
        client.createCollection(CreateCollectionReq.builder().collectionName(collection).collectionSchema(schema)
                .consistencyLevel(ConsistencyLevel.STRONG)
                .indexParams(List.of(
                        IndexParam.builder().fieldName("dense").indexType(IndexParam.IndexType.FLAT).metricType(IndexParam.MetricType.L2).build(),
                        IndexParam.builder().fieldName("other").indexType(IndexParam.IndexType.FLAT).metricType(IndexParam.MetricType.IP).build()))
                .build());
        Random random = seed.random(21);
        dense = Vectors.randomFloats(random, ROWS, DIM);
        other = Vectors.randomFloats(random, ROWS, DIM);
        List<JsonObject> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            JsonObject row = new JsonObject();
            row.addProperty("id", i);
            row.add("dense", jsonVector(dense[i]));
            row.add("other", jsonVector(other[i]));
            rows.add(row);
        }
        client.insert(InsertReq.builder().collectionName(collection).data(rows).build());
    }

    @AfterAll
    static void dropData() {
        dropIfExists(collection);
    }

    @Test
    void rrfFusesTheRanksOfBothFields() {
        float[] q1 = dense[3];
        float[] q2 = other[9];
        List<Vectors.Hit> a = Vectors.topK(Vectors.scoresAgainst(Vectors.Metric.L2, q1, dense), Vectors.Metric.L2, SUB_LIMIT);
        List<Vectors.Hit> b = Vectors.topK(Vectors.scoresAgainst(Vectors.Metric.IP, q2, other), Vectors.Metric.IP, SUB_LIMIT);
        Map<Integer, Double> fused = new HashMap<>();
        for (int r = 0; r < a.size(); r++) {
            fused.merge(a.get(r).row(), 1.0 / (60 + r + 1), Double::sum);
        }
        for (int r = 0; r < b.size(); r++) {
            fused.merge(b.get(r).row(), 1.0 / (60 + r + 1), Double::sum);
        }
        assertScores(fused, hybrid(q1, q2, new RRFRanker(60)));
    }

    @Test
    void weightedRankerSumsNormalisedScores() {
        float[] q1 = dense[30];
        float[] q2 = other[31];
        List<Vectors.Hit> a = Vectors.topK(Vectors.scoresAgainst(Vectors.Metric.L2, q1, dense), Vectors.Metric.L2, SUB_LIMIT);
        List<Vectors.Hit> b = Vectors.topK(Vectors.scoresAgainst(Vectors.Metric.IP, q2, other), Vectors.Metric.IP, SUB_LIMIT);
        Map<Integer, Double> fused = new HashMap<>();
        a.forEach(h -> fused.merge(h.row(), 0.7 * (1 - 2 * Math.atan(h.score()) / Math.PI), Double::sum));
        b.forEach(h -> fused.merge(h.row(), 0.3 * (0.5 + Math.atan(h.score()) / Math.PI), Double::sum));
        assertScores(fused, hybrid(q1, q2, new WeightedRanker(List.of(0.7f, 0.3f))));
    }

    private static List<SearchResp.SearchResult> hybrid(float[] q1, float[] q2,
                                                        io.milvus.v2.service.collection.request.CreateCollectionReq.Function ranker) {
        AnnSearchReq first = AnnSearchReq.builder().vectorFieldName("dense").vectors(List.of(new FloatVec(q1))).limit(SUB_LIMIT).build();
        AnnSearchReq second = AnnSearchReq.builder().vectorFieldName("other").vectors(List.of(new FloatVec(q2))).limit(SUB_LIMIT).build();
        SearchResp resp = client.hybridSearch(HybridSearchReq.builder().collectionName(collection)
                .searchRequests(List.of(first, second)).ranker(ranker).limit(LIMIT)
                .consistencyLevel(ConsistencyLevel.STRONG).build());
        return resp.getSearchResults().get(0);
    }

    private static void assertScores(Map<Integer, Double> expected, List<SearchResp.SearchResult> actual) {
        double[] best = expected.values().stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double[] top = new double[Math.min(LIMIT, best.length)];
        for (int i = 0; i < top.length; i++) {
            top[i] = best[best.length - 1 - i];
        }
        assertEquals(top.length, actual.size());
        for (int i = 0; i < top.length; i++) {
            SearchResp.SearchResult r = actual.get(i);
            assertClose(top[i], r.getScore(), "fused score at rank " + i);
            assertClose(expected.get(((Number) r.getId()).intValue()), r.getScore(), "fused score of id " + r.getId());
        }
    }
}
