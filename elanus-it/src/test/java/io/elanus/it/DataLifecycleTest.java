package io.elanus.it;

import com.google.gson.JsonObject;
import io.elanus.testkit.Seed;
import io.elanus.testkit.Seeds;
import io.milvus.grpc.LoadState;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.common.DataType;
import io.milvus.v2.common.IndexParam;
import io.milvus.v2.service.collection.request.AddFieldReq;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.collection.request.GetCollectionStatsReq;
import io.milvus.v2.service.collection.request.GetLoadStateReq;
import io.milvus.v2.service.collection.request.LoadCollectionReq;
import io.milvus.v2.service.collection.request.ReleaseCollectionReq;
import io.milvus.v2.service.index.request.CreateIndexReq;
import io.milvus.v2.service.index.request.DescribeIndexReq;
import io.milvus.v2.service.index.request.DropIndexReq;
import io.milvus.v2.service.index.request.ListIndexesReq;
import io.milvus.v2.service.index.response.DescribeIndexResp;
import io.milvus.v2.service.utility.request.FlushReq;
import io.milvus.v2.service.utility.request.GetPersistentSegmentInfoReq;
import io.milvus.v2.service.utility.response.GetPersistentSegmentInfoResp;
import io.milvus.v2.service.vector.request.DeleteReq;
import io.milvus.v2.service.vector.request.GetReq;
import io.milvus.v2.service.vector.request.InsertReq;
import io.milvus.v2.service.vector.request.QueryReq;
import io.milvus.v2.service.vector.request.SearchReq;
import io.milvus.v2.service.vector.request.UpsertReq;
import io.milvus.v2.service.vector.request.data.FloatVec;
import io.milvus.v2.service.vector.response.InsertResp;
import io.milvus.v2.service.vector.response.QueryResp;
import io.milvus.v2.service.vector.response.SearchResp;
import io.milvus.v2.service.vector.response.UpsertResp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static io.elanus.it.MilvusAssertions.COLLECTION_NOT_LOADED;
import static io.elanus.it.MilvusAssertions.INDEX_NOT_FOUND;
import static io.elanus.it.MilvusAssertions.assertExactTopK;
import static io.elanus.it.MilvusAssertions.assertServerError;
import static io.elanus.it.MilvusAssertions.awaitLoaded;
import static io.elanus.it.SearchAndQueryTest.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Writes (insert, upsert, delete, flush) and the index and load lifecycle through MilvusClientV2. */
@ExtendWith(Seeds.class)
class DataLifecycleTest extends SharedServerTestBase {

    private static final int DIM = 8;

    private static String quickCollectionWithRows(String prefix, float[][] data) {
        String name = uniqueName(prefix);
        // Strong by default: get() carries no consistency level and reads right after writes.
        client.createCollection(CreateCollectionReq.builder().collectionName(name).dimension(DIM)
                .consistencyLevel(ConsistencyLevel.STRONG).build());
        awaitLoaded(client, name);
        if (data.length > 0) {
            insertRows(name, 0, data);
        }
        return name;
    }

    private static InsertResp insertRows(String name, int firstId, float[][] data) {
        List<JsonObject> rows = new ArrayList<>();
        for (int i = 0; i < data.length; i++) {
            JsonObject row = quickRow(firstId + i, data[i]);
            row.addProperty("group", (firstId + i) % 4);
            rows.add(row);
        }
        return client.insert(InsertReq.builder().collectionName(name).data(rows).build());
    }

    @Test
    void insertReportsCountAndPrimaryKeys(Seed seed) {
        String name = quickCollectionWithRows("insert_resp", new float[0][]);
        InsertResp response = insertRows(name, 40, Vectors.randomFloats(seed.random(1), 3, DIM));
        assertEquals(3, response.getInsertCnt());
        assertEquals(List.of(40L, 41L, 42L), response.getPrimaryKeys());
        assertEquals(3, count(name, ""));
        dropIfExists(name);
    }

    @Test
    void upsertOfTheSamePrimaryKeyTwiceKeepsOneRowWithTheLatestValues(Seed seed) {
        String name = quickCollectionWithRows("upsert", Vectors.randomFloats(seed.random(2), 100, DIM));
        for (String version : List.of("first", "second")) {
            JsonObject row = quickRow(5, Vectors.randomFloats(seed.random(3), 1, DIM)[0]);
            row.addProperty("version", version);
            UpsertResp response = client.upsert(UpsertReq.builder().collectionName(name).data(List.of(row)).build());
            assertEquals(1, response.getUpsertCnt());
        }
        assertEquals(100, count(name, ""), "upserting an existing key replaces, it does not add");
        assertEquals(1, count(name, "id == 5"));
        QueryResp rows = client.query(QueryReq.builder().collectionName(name).filter("id == 5")
                .outputFields(List.of("version")).consistencyLevel(ConsistencyLevel.STRONG).build());
        assertEquals("second", rows.getQueryResults().get(0).getEntity().get("version"));

        client.upsert(UpsertReq.builder().collectionName(name)
                .data(List.of(quickRow(100, Vectors.randomFloats(seed.random(4), 1, DIM)[0]))).build());
        assertEquals(101, count(name, ""), "upserting a new key inserts it");
        dropIfExists(name);
    }

    @Test
    void deleteByIdsAndByFilterRemovesExactlyThoseRowsFromQueryAndSearch(Seed seed) {
        float[][] data = Vectors.randomFloats(seed.random(5), 200, DIM);
        String name = quickCollectionWithRows("delete", data);
        assertEquals(3, client.delete(DeleteReq.builder().collectionName(name).ids(List.of(0L, 1L, 2L)).build()).getDeleteCnt());
        client.delete(DeleteReq.builder().collectionName(name).filter("id >= 100 and id < 150").build());

        assertEquals(147, count(name, ""));
        assertEquals(0, count(name, "id in [0, 1, 2]"));
        assertEquals(0, count(name, "id >= 100 and id < 150"));
        assertTrue(client.get(GetReq.builder().collectionName(name).ids(List.of(1L, 120L)).build()).getGetResults().isEmpty());

        SearchResp response = client.search(SearchReq.builder().collectionName(name).data(List.of(new FloatVec(data[120])))
                .limit(200).consistencyLevel(ConsistencyLevel.STRONG).build());
        List<SearchResp.SearchResult> hits = response.getSearchResults().get(0);
        assertEquals(147, hits.size(), "search sees every live row and no deleted one");
        for (SearchResp.SearchResult hit : hits) {
            long id = (Long) hit.getId();
            assertFalse(id < 3 || (id >= 100 && id < 150), "deleted id " + id + " returned by search");
        }
        dropIfExists(name);
    }

    @Test
    void deleteByFilterOnADynamicKeyRemovesMatchingRows(Seed seed) {
        String name = quickCollectionWithRows("delete_dyn", Vectors.randomFloats(seed.random(6), 40, DIM));
        client.delete(DeleteReq.builder().collectionName(name).filter("group == 1").build());
        assertEquals(30, count(name, ""));
        assertEquals(0, count(name, "group == 1"));
        dropIfExists(name);
    }

    @Test
    void flushPersistsSegmentsWithExactRowCountsAndStatistics(Seed seed) {
        String name = quickCollectionWithRows("flush", Vectors.randomFloats(seed.random(7), 300, DIM));
        client.flush(FlushReq.builder().collectionNames(List.of(name)).build());

        GetPersistentSegmentInfoResp segments = client.getPersistentSegmentInfo(
                GetPersistentSegmentInfoReq.builder().collectionName(name).build());
        long persistedRows = 0;
        for (GetPersistentSegmentInfoResp.PersistentSegmentInfo segment : segments.getSegmentInfos()) {
            persistedRows += segment.getNumOfRows();
            assertEquals("Flushed", segment.getState(), "segment " + segment.getSegmentID() + " after flush");
        }
        assertEquals(300, persistedRows);
        assertEquals(300L, client.getCollectionStats(GetCollectionStatsReq.builder().collectionName(name).build())
                .getNumOfEntities());

        insertRows(name, 300, Vectors.randomFloats(seed.random(8), 100, DIM));
        assertEquals(400, count(name, ""), "flushed and growing rows are both counted");
        dropIfExists(name);
    }

    @Test
    void indexLifecycleFlatThenAutoindexWithDescribeListAndDropAfterRelease(Seed seed) {
        String name = uniqueName("index");
        CreateCollectionReq.CollectionSchema schema = CreateCollectionReq.CollectionSchema.builder().build();
        schema.addField(AddFieldReq.builder().fieldName("id").dataType(DataType.Int64).isPrimaryKey(true).build());
        schema.addField(AddFieldReq.builder().fieldName("vec").dataType(DataType.FloatVector).dimension(DIM).build());
        client.createCollection(CreateCollectionReq.builder().collectionName(name).collectionSchema(schema).build());
        assertServerError(() -> client.describeIndex(DescribeIndexReq.builder().collectionName(name).fieldName("vec").build()),
                INDEX_NOT_FOUND);

        client.createIndex(CreateIndexReq.builder().collectionName(name).indexParams(List.of(IndexParam.builder()
                .fieldName("vec").indexName("vec_idx").indexType(IndexParam.IndexType.FLAT)
                .metricType(IndexParam.MetricType.L2).build())).build());
        DescribeIndexResp.IndexDesc flat = client.describeIndex(DescribeIndexReq.builder().collectionName(name)
                .fieldName("vec").build()).getIndexDescByFieldName("vec");
        assertEquals("vec_idx", flat.getIndexName());
        assertEquals(IndexParam.IndexType.FLAT, flat.getIndexType());
        assertEquals(IndexParam.MetricType.L2, flat.getMetricType());
        assertEquals(List.of("vec_idx"), client.listIndexes(ListIndexesReq.builder().collectionName(name).build()));

        float[][] data = Vectors.randomFloats(seed.random(9), 100, DIM);
        List<JsonObject> rows = new ArrayList<>();
        for (int i = 0; i < data.length; i++) {
            JsonObject row = new JsonObject();
            row.addProperty("id", i);
            row.add("vec", jsonVector(data[i]));
            rows.add(row);
        }
        client.insert(InsertReq.builder().collectionName(name).data(rows).build());
        client.loadCollection(LoadCollectionReq.builder().collectionName(name).build());
        assertExactTopK(searchVec(name, data[0]), Vectors.scoresAgainst(Vectors.Metric.L2, data[0], data),
                Vectors.Metric.L2, 0, 5, id -> ((Long) id).intValue());

        client.releaseCollection(ReleaseCollectionReq.builder().collectionName(name).build());
        client.dropIndex(DropIndexReq.builder().collectionName(name).fieldName("vec").indexName("vec_idx").build());
        assertTrue(client.listIndexes(ListIndexesReq.builder().collectionName(name).build()).isEmpty());

        client.createIndex(CreateIndexReq.builder().collectionName(name).indexParams(List.of(IndexParam.builder()
                .fieldName("vec").indexType(IndexParam.IndexType.AUTOINDEX).metricType(IndexParam.MetricType.IP).build())).build());
        DescribeIndexResp.IndexDesc auto = client.describeIndex(DescribeIndexReq.builder().collectionName(name)
                .fieldName("vec").build()).getIndexDescByFieldName("vec");
        assertEquals(IndexParam.IndexType.AUTOINDEX, auto.getIndexType());
        assertEquals(IndexParam.MetricType.IP, auto.getMetricType());
        client.loadCollection(LoadCollectionReq.builder().collectionName(name).build());
        assertEquals(5, searchVec(name, data[1]).size());
        dropIfExists(name);
    }

    @Test
    void releasedCollectionRejectsSearchAndQueryWithCode101UntilLoadedAgain(Seed seed) {
        float[][] data = Vectors.randomFloats(seed.random(10), 20, DIM);
        String name = quickCollectionWithRows("release", data);
        assertEquals(LoadState.LoadStateLoaded,
                client.getLoadStateV2(GetLoadStateReq.builder().collectionName(name).build()).getState());

        client.releaseCollection(ReleaseCollectionReq.builder().collectionName(name).build());
        assertFalse(client.getLoadState(GetLoadStateReq.builder().collectionName(name).build()));
        assertEquals(LoadState.LoadStateNotLoad,
                client.getLoadStateV2(GetLoadStateReq.builder().collectionName(name).build()).getState());
        assertServerError(() -> searchVec(name, data[0]), COLLECTION_NOT_LOADED);
        assertServerError(() -> count(name, ""), COLLECTION_NOT_LOADED);

        client.loadCollection(LoadCollectionReq.builder().collectionName(name).build());
        assertTrue(client.getLoadState(GetLoadStateReq.builder().collectionName(name).build()));
        assertEquals(data.length, count(name, ""), "data survives a release and a reload");
        assertEquals(0L, searchVec(name, data[0]).get(0).getId());
        dropIfExists(name);
    }

    private static List<SearchResp.SearchResult> searchVec(String name, float[] query) {
        return client.search(SearchReq.builder().collectionName(name).data(List.of(new FloatVec(query))).limit(5)
                .consistencyLevel(ConsistencyLevel.STRONG).build()).getSearchResults().get(0);
    }
}
