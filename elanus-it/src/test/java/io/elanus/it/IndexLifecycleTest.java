package io.elanus.it;

import com.google.gson.JsonObject;
import io.elanus.testkit.Seed;
import io.elanus.testkit.Seeds;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.common.DataType;
import io.milvus.v2.common.IndexParam;
import io.milvus.v2.service.collection.request.AddFieldReq;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.collection.request.LoadCollectionReq;
import io.milvus.v2.service.index.request.DescribeIndexReq;
import io.milvus.v2.service.index.response.DescribeIndexResp;
import io.milvus.v2.service.utility.request.FlushReq;
import io.milvus.v2.service.vector.request.InsertReq;
import io.milvus.v2.service.vector.request.SearchReq;
import io.milvus.v2.service.vector.request.data.FloatVec;
import io.milvus.v2.service.vector.response.SearchResp;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static io.elanus.it.MilvusAssertions.awaitLoaded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Approximate indexes end to end: rows are flushed into sealed segments, the index node builds the
 * index of each, DescribeIndex reports the progress, and searches through the index reach a recall
 * floor against brute force — also with a very selective filter, where the exact count must come back.
 */
@ExtendWith(Seeds.class)
class IndexLifecycleTest extends SharedServerTestBase {
    private static final int DIM = 32;
    private static final int ROWS = 3000;
    private static final int K = 10;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "HNSW, L2, '{\"M\": 16, \"efConstruction\": 100}', '{\"ef\": 64}'",
            "IVF_FLAT, IP, '{\"nlist\": 32}', '{\"nprobe\": 16}'",
            "AUTOINDEX, COSINE, '{}', '{}'"
    })
    void indexIsBuiltAfterFlushAndSearchesReachRecallFloor(String indexType, String metric, String buildParams,
                                                           String searchParams, Seed seed) {
        String name = uniqueName("idx_" + indexType.toLowerCase());
        CreateCollectionReq.CollectionSchema schema = CreateCollectionReq.CollectionSchema.builder().build();
        schema.addField(AddFieldReq.builder().fieldName("id").dataType(DataType.Int64).isPrimaryKey(true).build());
        schema.addField(AddFieldReq.builder().fieldName("bucket").dataType(DataType.Int64).build());
        schema.addField(AddFieldReq.builder().fieldName("vector").dataType(DataType.FloatVector).dimension(DIM).build());
        Map<String, Object> extra = new com.google.gson.Gson().fromJson(buildParams, Map.class);
        IndexParam index = IndexParam.builder().fieldName("vector").indexType(IndexParam.IndexType.valueOf(indexType))
                .metricType(IndexParam.MetricType.valueOf(metric)).extraParams(extra).build();
        client.createCollection(CreateCollectionReq.builder().collectionName(name).collectionSchema(schema)
                .indexParams(List.of(index)).consistencyLevel(ConsistencyLevel.STRONG).build());
        try {
            Random random = seed.random(42);
            float[][] data = Vectors.randomFloats(random, ROWS, DIM);
            List<JsonObject> rows = new ArrayList<>();
            for (int i = 0; i < ROWS; i++) {
                JsonObject row = new JsonObject();
                row.addProperty("id", i);
                row.addProperty("bucket", i % 100);
                row.add("vector", jsonVector(data[i]));
                rows.add(row);
            }
            client.insert(InsertReq.builder().collectionName(name).data(rows).build());
            client.flush(FlushReq.builder().collectionNames(List.of(name)).build());
            awaitIndexed(name, ROWS);
            client.loadCollection(LoadCollectionReq.builder().collectionName(name).build());
            awaitLoaded(client, name);

            Vectors.Metric m = Vectors.Metric.valueOf(metric.equals("AUTOINDEX") ? "COSINE" : metric);
            Map<String, Object> sp = new com.google.gson.Gson().fromJson(searchParams, Map.class);
            int found = 0;
            int queries = 50;
            for (int q = 0; q < queries; q++) {
                float[] query = Vectors.randomFloats(random, 1, DIM)[0];
                Set<Integer> exact = new HashSet<>();
                Vectors.topK(Vectors.scoresAgainst(m, query, data), m, K).forEach(h -> exact.add(h.row()));
                SearchResp resp = client.search(SearchReq.builder().collectionName(name).data(List.of(new FloatVec(query)))
                        .limit(K).searchParams(sp).build());
                List<SearchResp.SearchResult> hits = resp.getSearchResults().get(0);
                assertEquals(K, hits.size());
                for (SearchResp.SearchResult h : hits) {
                    if (exact.contains(((Number) h.getId()).intValue())) {
                        found++;
                    }
                }
            }
            double recall = found / (double) (queries * K);
            assertTrue(recall >= 0.85, indexType + " recall@10 " + recall + " is below the floor 0.85");

            // A filter matching 3 rows, fewer than the limit: exactly those come back.
            SearchResp filtered = client.search(SearchReq.builder().collectionName(name).data(List.of(new FloatVec(data[7])))
                    .limit(K).filter("id in [7, 1007, 2007]").searchParams(sp).build());
            Set<Long> ids = new HashSet<>();
            filtered.getSearchResults().get(0).forEach(h -> ids.add(((Number) h.getId()).longValue()));
            assertEquals(Set.of(7L, 1007L, 2007L), ids);
        } finally {
            dropIfExists(name);
        }
    }

    private static void awaitIndexed(String collection, long rows) {
        long deadline = System.currentTimeMillis() + 120_000;
        while (true) {
            DescribeIndexResp.IndexDesc d = client.describeIndex(DescribeIndexReq.builder().collectionName(collection)
                    .fieldName("vector").build()).getIndexDescriptions().get(0);
            if (d.getIndexedRows() == rows && d.getPendingIndexRows() == 0) {
                assertEquals(rows, d.getTotalRows());
                return;
            }
            assertTrue(System.currentTimeMillis() < deadline, "index not built in time: " + d);
            MilvusAssertions.sleep(200);
        }
    }
}
