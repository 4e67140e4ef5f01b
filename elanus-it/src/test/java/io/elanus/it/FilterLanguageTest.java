package io.elanus.it;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.elanus.testkit.Seed;
import io.elanus.testkit.Seeds;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.common.DataType;
import io.milvus.v2.service.collection.request.AddFieldReq;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.vector.request.DeleteReq;
import io.milvus.v2.service.vector.request.InsertReq;
import io.milvus.v2.service.vector.request.QueryReq;
import io.milvus.v2.service.vector.request.SearchReq;
import io.milvus.v2.service.vector.request.data.FloatVec;
import io.milvus.v2.service.vector.response.QueryResp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.elanus.it.MilvusAssertions.assertServerError;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The filter language through the SDK: JSON paths, arrays, like, arithmetic, null tests, dynamic keys
 * and template values, in query, search and delete — each checked against the rows computed in the test.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(Seeds.class)
class FilterLanguageTest extends SharedServerTestBase {
    private static final int DIM = 4;
    private static final int ROWS = 300;
    private static final int INVALID_PARAMETER = 1100;
    private static String collection;

    @BeforeAll
    static void createData(Seed seed) {
        collection = uniqueName("filters");
        CreateCollectionReq.CollectionSchema schema = schemaWithId();
        schema.setEnableDynamicField(true);
        schema.addField(AddFieldReq.builder().fieldName("name").dataType(DataType.VarChar).maxLength(32).build());
        schema.addField(AddFieldReq.builder().fieldName("age").dataType(DataType.Int32).isNullable(true).build());
        schema.addField(AddFieldReq.builder().fieldName("doc").dataType(DataType.JSON).build());
        schema.addField(AddFieldReq.builder().fieldName("tags").dataType(DataType.Array).elementType(DataType.Int64)
                .maxCapacity(8).build());
        schema.addField(AddFieldReq.builder().fieldName("vector").dataType(DataType.FloatVector).dimension(DIM).build());
        createStrongFlatCollection(collection, schema);
        float[][] vectors = Vectors.randomFloats(seed.random(3), ROWS, DIM);
        List<JsonObject> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            JsonObject row = quickRow(i, vectors[i]);
            row.addProperty("name", (i % 3 == 0 ? "alpha-" : "beta-") + i);
            if (i % 10 != 0) {
                row.addProperty("age", i % 50);
            }
            JsonObject doc = new JsonObject();
            doc.addProperty("price", i * 2);
            JsonArray colors = new JsonArray();
            colors.add(i % 2 == 0 ? "red" : "blue");
            doc.add("colors", colors);
            row.add("doc", doc);
            JsonArray tags = new JsonArray();
            for (int t = 0; t < i % 4; t++) {
                tags.add(t * 10);
            }
            row.add("tags", tags);
            row.addProperty("color", i % 5 == 0 ? "green" : "gray");
            rows.add(row);
        }
        client.insert(InsertReq.builder().collectionName(collection).data(rows).build());
    }

    @AfterAll
    static void dropData() {
        dropIfExists(collection);
    }

    static Stream<Object[]> expressions() {
        return Stream.of(
                new Object[]{"doc[\"price\"] > 500", (IntPredicate) i -> i * 2 > 500},
                new Object[]{"json_contains(doc[\"colors\"], \"red\")", (IntPredicate) i -> i % 2 == 0},
                new Object[]{"array_contains(tags, 20)", (IntPredicate) i -> i % 4 == 3},
                new Object[]{"array_length(tags) >= 2", (IntPredicate) i -> i % 4 >= 2},
                new Object[]{"name like \"alpha-%\"", (IntPredicate) i -> i % 3 == 0},
                new Object[]{"age is null", (IntPredicate) i -> i % 10 == 0},
                new Object[]{"age % 7 == 0", (IntPredicate) i -> i % 10 != 0 && (i % 50) % 7 == 0},
                new Object[]{"10 <= age < 20 and not (id in [15, 16])", (IntPredicate) i -> i % 10 != 0 && i % 50 >= 10 && i % 50 < 20 && i != 15 && i != 16},
                new Object[]{"color == \"green\" or id < 3", (IntPredicate) i -> i % 5 == 0 || i < 3},
                new Object[]{"$meta[\"color\"] != \"gray\"", (IntPredicate) i -> i % 5 == 0});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expressions")
    void queryReturnsExactlyTheMatchingRows(String filter, IntPredicate expected) {
        List<Long> ids = client.query(QueryReq.builder().collectionName(collection).filter(filter)
                        .outputFields(List.of("id")).consistencyLevel(ConsistencyLevel.STRONG).build())
                .getQueryResults().stream().map(r -> ((Number) r.getEntity().get("id")).longValue()).sorted().toList();
        assertEquals(IntStream.range(0, ROWS).filter(expected).mapToObj(i -> (long) i).toList(), ids);
    }

    @Test
    void templateValuesBindInQueryAndSearch() {
        List<QueryResp.QueryResult> got = client.query(QueryReq.builder().collectionName(collection)
                .filter("id in {ids} and doc[\"price\"] >= {min}")
                .filterTemplateValues(Map.of("ids", List.of(1L, 2L, 200L, 250L), "min", 400L))
                .outputFields(List.of("id")).consistencyLevel(ConsistencyLevel.STRONG).build()).getQueryResults();
        assertEquals(List.of(200L, 250L), got.stream().map(r -> ((Number) r.getEntity().get("id")).longValue()).sorted().toList());

        var hits = client.search(SearchReq.builder().collectionName(collection).data(List.of(new FloatVec(new float[]{1, 1, 1, 1})))
                .limit(50).filter("age == {a}").filterTemplateValues(Map.of("a", 7L))
                .consistencyLevel(ConsistencyLevel.STRONG).build()).getSearchResults().get(0);
        assertEquals(IntStream.range(0, ROWS).filter(i -> i % 10 != 0 && i % 50 == 7).count(), hits.size());
    }

    @Test
    void malformedExpressionsAreInvalidParametersAndTheServerKeepsServing() {
        for (String bad : List.of("id >", "unknown_field == 1 and", "name > 3 +", "((id == 1)", "vector == 1", "id in [1, \"a\"")) {
            assertServerError(() -> client.query(QueryReq.builder().collectionName(collection).filter(bad)
                    .consistencyLevel(ConsistencyLevel.STRONG).build()), INVALID_PARAMETER);
        }
        assertEquals(1, client.query(QueryReq.builder().collectionName(collection).filter("id == 1")
                .consistencyLevel(ConsistencyLevel.STRONG).build()).getQueryResults().size());
    }

    /** Runs last: it removes rows the other tests count. */
    @Test
    @Order(Integer.MAX_VALUE)
    void deleteByAJsonFilterRemovesExactlyThoseRows() {
        long before = count("");
        long doomed = IntStream.range(0, ROWS).filter(i -> i * 2 > 580).count();
        client.delete(DeleteReq.builder().collectionName(collection).filter("doc[\"price\"] > {p}")
                .filterTemplateValues(Map.of("p", 580L)).build());
        assertEquals(before - doomed, count(""));
        assertEquals(0, count("doc[\"price\"] > 580"));
    }

    private static long count(String filter) {
        return ((Number) client.query(QueryReq.builder().collectionName(collection).filter(filter)
                .outputFields(List.of("count(*)")).consistencyLevel(ConsistencyLevel.STRONG).build())
                .getQueryResults().get(0).getEntity().get("count(*)")).longValue();
    }
}
