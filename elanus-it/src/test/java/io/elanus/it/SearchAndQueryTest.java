package io.elanus.it;

import com.google.gson.JsonObject;
import io.elanus.testkit.Seed;
import io.elanus.testkit.Seeds;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.common.DataType;
import io.milvus.v2.common.IndexParam;
import io.milvus.v2.service.collection.request.AddFieldReq;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.vector.request.GetReq;
import io.milvus.v2.service.vector.request.InsertReq;
import io.milvus.v2.service.vector.request.QueryReq;
import io.milvus.v2.service.vector.request.SearchReq;
import io.milvus.v2.service.vector.request.data.BaseVector;
import io.milvus.v2.service.vector.request.data.FloatVec;
import io.milvus.v2.service.vector.response.QueryResp;
import io.milvus.v2.service.vector.response.SearchResp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.elanus.it.MilvusAssertions.assertExactTopK;
import static io.elanus.it.MilvusAssertions.awaitLoaded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Search and query semantics against brute force over one shared, FLAT-indexed collection whose rows are all
 * derived from their id, so every expected answer is computed in the test.
 */
@ExtendWith(Seeds.class)
class SearchAndQueryTest extends SharedServerTestBase {

    private static final int DIM = 16;
    private static final int ROWS = 2000;
    private static final String[] CATEGORIES = {"red", "green", "blue", "black"};

    private static String collection;
    private static float[][] vectors;
    private static long insertedAtNanos;

    @BeforeAll
    static void createAndFillCollection(Seed seed) {
        collection = uniqueName("search");
        vectors = Vectors.randomFloats(seed.random(42), ROWS, DIM);
        CreateCollectionReq.CollectionSchema schema = CreateCollectionReq.CollectionSchema.builder().enableDynamicField(true).build();
        schema.addField(AddFieldReq.builder().fieldName("id").dataType(DataType.Int64).isPrimaryKey(true).autoID(false).build());
        schema.addField(AddFieldReq.builder().fieldName("vector").dataType(DataType.FloatVector).dimension(DIM).build());
        schema.addField(AddFieldReq.builder().fieldName("category").dataType(DataType.VarChar).maxLength(16).build());
        schema.addField(AddFieldReq.builder().fieldName("n").dataType(DataType.Int64).build());
        schema.addField(AddFieldReq.builder().fieldName("weight").dataType(DataType.Double).build());
        schema.addField(AddFieldReq.builder().fieldName("flag").dataType(DataType.Bool).build());
        IndexParam flat = IndexParam.builder().fieldName("vector").indexType(IndexParam.IndexType.FLAT)
                .metricType(IndexParam.MetricType.COSINE).build();
        // Strong by default: get() carries no consistency level.
        client.createCollection(CreateCollectionReq.builder().collectionName(collection).collectionSchema(schema)
                .indexParams(List.of(flat)).consistencyLevel(ConsistencyLevel.STRONG).build());
        awaitLoaded(client, collection);
        List<JsonObject> rows = new ArrayList<>(ROWS);
        for (int i = 0; i < ROWS; i++) {
            JsonObject row = quickRow(i, vectors[i]);
            row.addProperty("category", category(i));
            row.addProperty("n", i);
            row.addProperty("weight", weight(i));
            row.addProperty("flag", flag(i));
            row.addProperty("extra", extra(i));
            rows.add(row);
        }
        for (int from = 0; from < ROWS; from += 500) {
            client.insert(InsertReq.builder().collectionName(collection).data(rows.subList(from, from + 500)).build());
        }
        insertedAtNanos = System.nanoTime();
    }

    @AfterAll
    static void dropCollection() {
        dropIfExists(collection);
    }

    private static String category(int i) {
        return CATEGORIES[i % CATEGORIES.length];
    }

    private static double weight(int i) {
        return (i % 100) / 10.0;
    }

    private static boolean flag(int i) {
        return i % 3 == 0;
    }

    /** A dynamic-field key: not in the schema, so it lands in $meta. */
    private static String extra(int i) {
        return "e" + (i % 5);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Vectors.Metric.class, names = {"L2", "IP", "COSINE"})
    void flatSearchTopKEqualsBruteForceForEachMetric(Vectors.Metric metric, Seed seed) {
        String name = uniqueName("exact_" + metric.name().toLowerCase());
        int rows = 1000;
        float[][] data = Vectors.randomFloats(seed.random(7 + metric.ordinal()), rows, DIM);
        client.createCollection(CreateCollectionReq.builder().collectionName(name).dimension(DIM).metricType(metric.name())
                .indexParam(IndexParam.builder().fieldName("vector").indexType(IndexParam.IndexType.FLAT)
                        .metricType(IndexParam.MetricType.valueOf(metric.name())).build())
                .build());
        awaitLoaded(client, name);
        List<JsonObject> batch = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            batch.add(quickRow(i, data[i]));
        }
        client.insert(InsertReq.builder().collectionName(name).data(batch).build());

        float[][] queries = Vectors.randomFloats(seed.random(99), 4, DIM);
        SearchResp response = client.search(SearchReq.builder().collectionName(name).data(floatVecs(queries))
                .limit(10).consistencyLevel(ConsistencyLevel.STRONG).build());
        assertEquals(queries.length, response.getSearchResults().size(), "one result list per query vector");
        for (int q = 0; q < queries.length; q++) {
            assertExactTopK(response.getSearchResults().get(q), Vectors.scoresAgainst(metric, queries[q], data), metric,
                    0, 10, id -> ((Long) id).intValue());
        }
        dropIfExists(name);
    }

    @Test
    void searchWithSeveralQueriesLimitAndOffsetReturnsTheExactNextPage(Seed seed) {
        float[][] queries = Vectors.randomFloats(seed.random(5), 3, DIM);
        SearchResp response = client.search(SearchReq.builder().collectionName(collection).data(floatVecs(queries))
                .limit(7).offset(5).consistencyLevel(ConsistencyLevel.STRONG).build());
        assertEquals(3, response.getSearchResults().size());
        for (int q = 0; q < queries.length; q++) {
            assertExactTopK(response.getSearchResults().get(q), Vectors.scoresAgainst(Vectors.Metric.COSINE, queries[q], vectors),
                    Vectors.Metric.COSINE, 5, 7, id -> ((Long) id).intValue());
        }
    }

    @Test
    void filteredSearchRanksOnlyMatchingRowsExactly(Seed seed) {
        float[] query = Vectors.randomFloats(seed.random(11), 1, DIM)[0];
        SearchResp response = client.search(SearchReq.builder().collectionName(collection).data(List.of(new FloatVec(query)))
                .filter("category == \"blue\" and n > 100").limit(15).outputFields(List.of("category", "n"))
                .consistencyLevel(ConsistencyLevel.STRONG).build());
        double[] scores = Vectors.scoresAgainst(Vectors.Metric.COSINE, query, vectors);
        for (int i = 0; i < ROWS; i++) {
            if (!(category(i).equals("blue") && i > 100)) {
                scores[i] = Double.NEGATIVE_INFINITY;
            }
        }
        List<SearchResp.SearchResult> hits = response.getSearchResults().get(0);
        assertExactTopK(hits, scores, Vectors.Metric.COSINE, 0, 15, id -> ((Long) id).intValue());
        for (SearchResp.SearchResult hit : hits) {
            assertEquals("blue", hit.getEntity().get("category"));
            assertTrue(((Number) hit.getEntity().get("n")).longValue() > 100);
        }
    }

    @Test
    void autoIndexSearchHasRecallOfAtLeastNinetyPercent(Seed seed) {
        String name = uniqueName("autoindex");
        int rows = 2000;
        int dim = 32;
        float[][] data = Vectors.randomFloats(seed.random(3), rows, dim);
        client.createCollection(CreateCollectionReq.builder().collectionName(name).dimension(dim).build());
        awaitLoaded(client, name);
        List<JsonObject> batch = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            batch.add(quickRow(i, data[i]));
        }
        client.insert(InsertReq.builder().collectionName(name).data(batch).build());

        float[][] queries = Vectors.randomFloats(seed.random(4), 10, dim);
        SearchResp response = client.search(SearchReq.builder().collectionName(name).data(floatVecs(queries))
                .limit(10).consistencyLevel(ConsistencyLevel.STRONG).build());
        int found = 0;
        for (int q = 0; q < queries.length; q++) {
            Set<Long> truth = new HashSet<>();
            Vectors.topK(Vectors.scoresAgainst(Vectors.Metric.COSINE, queries[q], data), Vectors.Metric.COSINE, 10)
                    .forEach(hit -> truth.add((long) hit.row()));
            for (SearchResp.SearchResult hit : response.getSearchResults().get(q)) {
                if (truth.contains((Long) hit.getId())) {
                    found++;
                }
            }
        }
        double recall = found / (10.0 * queries.length);
        assertTrue(recall >= 0.9, "recall@10 was " + recall);
        dropIfExists(name);
    }

    @Test
    void searchOutputFieldsStarIncludesScalarsVectorAndDynamicKeys() {
        float[] query = vectors[17];
        SearchResp response = client.search(SearchReq.builder().collectionName(collection).data(List.of(new FloatVec(query)))
                .limit(1).outputFields(List.of("*")).consistencyLevel(ConsistencyLevel.STRONG).build());
        SearchResp.SearchResult top = response.getSearchResults().get(0).get(0);
        assertEquals(17L, top.getId());
        Map<String, Object> entity = top.getEntity();
        assertEquals(category(17), entity.get("category"));
        assertEquals(17L, ((Number) entity.get("n")).longValue());
        assertEquals(weight(17), ((Number) entity.get("weight")).doubleValue());
        assertEquals(flag(17), entity.get("flag"));
        assertEquals(extra(17), entity.get("extra"), "dynamic keys are returned as top-level output fields");
        assertEquals(Vectors.boxed(vectors[17]), entity.get("vector"));
    }

    @Test
    void searchOutputFieldsNamingOneDynamicKeyReturnsOnlyThatKey() {
        SearchResp response = client.search(SearchReq.builder().collectionName(collection)
                .data(List.of(new FloatVec(vectors[3]))).limit(1).outputFields(List.of("extra"))
                .consistencyLevel(ConsistencyLevel.STRONG).build());
        Map<String, Object> entity = response.getSearchResults().get(0).get(0).getEntity();
        assertEquals(extra(3), entity.get("extra"));
        assertFalse(entity.containsKey("category"), "unrequested fields are not returned: " + entity.keySet());
    }

    static Stream<Object[]> filters() {
        return Stream.of(
                new Object[]{"n < 100", (IntPredicate) i -> i < 100},
                new Object[]{"n >= 1990", (IntPredicate) i -> i >= 1990},
                new Object[]{"category == \"red\"", (IntPredicate) i -> category(i).equals("red")},
                new Object[]{"category in [\"green\", \"blue\"]", (IntPredicate) i -> category(i).equals("green") || category(i).equals("blue")},
                new Object[]{"n in [1, 5, 9999]", (IntPredicate) i -> i == 1 || i == 5},
                new Object[]{"category != \"red\" and weight > 5.5", (IntPredicate) i -> !category(i).equals("red") && weight(i) > 5.5},
                new Object[]{"flag == true or n < 10", (IntPredicate) i -> flag(i) || i < 10},
                new Object[]{"not (n > 50)", (IntPredicate) i -> !(i > 50)},
                new Object[]{"weight <= 0.5 and not flag", (IntPredicate) i -> weight(i) <= 0.5 && !flag(i)},
                new Object[]{"extra == \"e3\"", (IntPredicate) i -> extra(i).equals("e3")});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filters")
    void queryFilterReturnsExactlyTheMatchingRows(String filter, IntPredicate matches) {
        QueryResp response = client.query(QueryReq.builder().collectionName(collection).filter(filter)
                .outputFields(List.of("id")).limit(16384).consistencyLevel(ConsistencyLevel.STRONG).build());
        Set<Long> expected = new HashSet<>();
        IntStream.range(0, ROWS).filter(matches).forEach(i -> expected.add((long) i));
        List<Long> actual = response.getQueryResults().stream().map(r -> (Long) r.getEntity().get("id")).toList();
        assertEquals(expected.size(), actual.size(), "row count for " + filter);
        assertEquals(expected, new HashSet<>(actual));
    }

    @Test
    void queryLimitAndOffsetPageThroughDisjointMatchingRows() {
        List<Long> first = queryIds("n < 100", 0, 10);
        List<Long> second = queryIds("n < 100", 10, 10);
        List<Long> last = queryIds("n < 100", 95, 10);
        assertEquals(10, first.size());
        assertEquals(10, second.size());
        assertEquals(5, last.size(), "offset 95 of 100 matches leaves 5");
        Set<Long> union = new HashSet<>(first);
        union.addAll(second);
        assertEquals(20, union.size(), "pages do not overlap");
        union.addAll(last);
        assertTrue(union.stream().allMatch(id -> id < 100));
    }

    @Test
    void queryReturnsOnlyTheRequestedOutputFields() {
        QueryResp response = client.query(QueryReq.builder().collectionName(collection).filter("n == 42")
                .outputFields(List.of("category", "weight")).consistencyLevel(ConsistencyLevel.STRONG).build());
        assertEquals(1, response.getQueryResults().size());
        Map<String, Object> entity = response.getQueryResults().get(0).getEntity();
        assertEquals(category(42), entity.get("category"));
        assertEquals(weight(42), ((Number) entity.get("weight")).doubleValue());
        assertEquals(42L, entity.get("id"), "the primary key is always returned");
        assertFalse(entity.containsKey("vector"));
        assertFalse(entity.containsKey("n"));
    }

    @Test
    void getByIdsReturnsExactlyTheExistingRequestedRows() {
        List<QueryResp.QueryResult> rows = client.get(GetReq.builder().collectionName(collection)
                .ids(List.of(0L, 5L, 1999L, 123_456L)).outputFields(List.of("n", "category")).build()).getGetResults();
        Set<Long> ids = new HashSet<>();
        for (QueryResp.QueryResult row : rows) {
            long id = (Long) row.getEntity().get("id");
            ids.add(id);
            assertEquals(id, ((Number) row.getEntity().get("n")).longValue());
            assertEquals(category((int) id), row.getEntity().get("category"));
        }
        assertEquals(Set.of(0L, 5L, 1999L), ids);
    }

    @Test
    void countStarIsExactWithAndWithoutFilter() {
        assertEquals(ROWS, count(collection, ""));
        assertEquals(ROWS / 4, count(collection, "category == \"red\""));
        assertEquals(0, count(collection, "n > 5000"));
    }

    @Test
    void strongConsistencyMakesAJustInsertedRowVisibleToSearchAndQuery(Seed seed) {
        String name = uniqueName("strong");
        client.createCollection(CreateCollectionReq.builder().collectionName(name).dimension(DIM).build());
        awaitLoaded(client, name);
        float[][] data = Vectors.randomFloats(seed.random(8), 50, DIM);
        List<JsonObject> batch = new ArrayList<>();
        for (int i = 0; i < data.length; i++) {
            batch.add(quickRow(i, data[i]));
        }
        client.insert(InsertReq.builder().collectionName(name).data(batch).build());
        for (int round = 0; round < 5; round++) {
            long id = 1000 + round;
            float[] fresh = Vectors.randomFloats(seed.random(100 + round), 1, DIM)[0];
            client.insert(InsertReq.builder().collectionName(name).data(List.of(quickRow(id, fresh))).build());
            SearchResp found = client.search(SearchReq.builder().collectionName(name).data(List.of(new FloatVec(fresh)))
                    .limit(1).consistencyLevel(ConsistencyLevel.STRONG).build());
            assertEquals(id, found.getSearchResults().get(0).get(0).getId(), "search right after insert, round " + round);
            assertEquals(1, count(name, "id == " + id), "query right after insert, round " + round);
        }
        dropIfExists(name);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ConsistencyLevel.class, names = {"BOUNDED", "SESSION", "EVENTUALLY"})
    void weakerConsistencyLevelsAreAcceptedForSearchAndQuery(ConsistencyLevel level) {
        if (level == ConsistencyLevel.BOUNDED) {
            // Bounded staleness lags by Milvus's graceful time (5 s); past it, the setup rows must be visible.
            long waitMillis = 6_000 - (System.nanoTime() - insertedAtNanos) / 1_000_000;
            if (waitMillis > 0) {
                MilvusAssertions.sleep(waitMillis);
            }
        }
        SearchResp response = client.search(SearchReq.builder().collectionName(collection)
                .data(List.of(new FloatVec(vectors[0]))).limit(3).consistencyLevel(level).build());
        QueryResp rows = client.query(QueryReq.builder().collectionName(collection).filter("n < 3")
                .consistencyLevel(level).build());
        if (level == ConsistencyLevel.EVENTUALLY) {
            // Eventually promises nothing about freshness: only that the request is served.
            assertTrue(response.getSearchResults().get(0).size() <= 3);
            assertTrue(rows.getQueryResults().size() <= 3);
        } else {
            // Session sees this client's own writes; Bounded sees everything older than its lag.
            assertEquals(3, response.getSearchResults().get(0).size());
            assertEquals(3, rows.getQueryResults().size());
        }
    }

    private static List<Long> queryIds(String filter, long offset, long limit) {
        return client.query(QueryReq.builder().collectionName(collection).filter(filter).offset(offset).limit(limit)
                        .outputFields(List.of("id")).consistencyLevel(ConsistencyLevel.STRONG).build())
                .getQueryResults().stream().map(r -> (Long) r.getEntity().get("id")).toList();
    }

    static long count(String name, String filter) {
        QueryResp response = client.query(QueryReq.builder().collectionName(name).filter(filter)
                .outputFields(List.of("count(*)")).consistencyLevel(ConsistencyLevel.STRONG).build());
        return (Long) response.getQueryResults().get(0).getEntity().get("count(*)");
    }

    static List<BaseVector> floatVecs(float[][] queries) {
        List<BaseVector> list = new ArrayList<>();
        for (float[] query : queries) {
            list.add(new FloatVec(query));
        }
        return list;
    }
}
