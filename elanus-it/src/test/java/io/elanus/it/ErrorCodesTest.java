package io.elanus.it;

import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.common.IndexParam;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.exception.MilvusClientException;
import io.milvus.v2.service.collection.request.DescribeCollectionReq;
import io.milvus.v2.service.collection.request.DropCollectionReq;
import io.milvus.v2.service.database.request.DropDatabaseReq;
import io.milvus.v2.service.collection.request.LoadCollectionReq;
import io.milvus.v2.service.index.request.CreateIndexReq;
import io.milvus.v2.service.vector.request.DeleteReq;
import io.milvus.v2.service.vector.request.InsertReq;
import io.milvus.v2.service.vector.request.QueryReq;
import io.milvus.v2.service.vector.request.SearchReq;
import io.milvus.v2.service.vector.request.data.FloatVec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import static io.elanus.it.MilvusAssertions.COLLECTION_NOT_FOUND;
import static io.elanus.it.MilvusAssertions.DATABASE_INVALID_NAME;
import static io.elanus.it.MilvusAssertions.PARAMETER_INVALID;
import static io.elanus.it.MilvusAssertions.UNWRAPPED_ERROR;
import static io.elanus.it.MilvusAssertions.assertServerError;
import static io.elanus.it.MilvusAssertions.awaitLoaded;
import static io.elanus.it.SearchAndQueryTest.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests Milvus rejects, with the codes Milvus 2.6 returns in {@code Status.code}; after each one the server must
 * still serve a healthy collection.
 */
class ErrorCodesTest extends SharedServerTestBase {

    private static final int DIM = 4;
    private static final float[] VECTOR = {1, 2, 3, 4};
    private static String healthy;

    @BeforeAll
    static void createHealthyCollection() {
        healthy = uniqueName("healthy");
        client.createCollection(CreateCollectionReq.builder().collectionName(healthy).dimension(DIM).build());
        awaitLoaded(client, healthy);
        client.insert(InsertReq.builder().collectionName(healthy).data(List.of(quickRow(1, VECTOR))).build());
    }

    @AfterAll
    static void dropHealthyCollection() {
        dropIfExists(healthy);
    }

    @AfterEach
    void serverKeepsServingAfterTheError() {
        assertEquals(1, count(healthy, ""));
        SearchReq search = SearchReq.builder().collectionName(healthy).data(List.of(new FloatVec(VECTOR))).limit(1)
                .consistencyLevel(ConsistencyLevel.STRONG).build();
        assertEquals(1L, client.search(search).getSearchResults().get(0).get(0).getId());
    }

    @Test
    void describeOfAMissingCollectionFailsWithCollectionNotFound() {
        assertServerError(() -> client.describeCollection(DescribeCollectionReq.builder().collectionName("no_such_collection").build()),
                COLLECTION_NOT_FOUND);
    }

    @Test
    void searchQueryInsertAndLoadOfAMissingCollectionFailWithCollectionNotFound() {
        assertServerError(() -> client.search(SearchReq.builder().collectionName("no_such_collection")
                .data(List.of(new FloatVec(VECTOR))).limit(1).build()), COLLECTION_NOT_FOUND);
        assertServerError(() -> client.query(QueryReq.builder().collectionName("no_such_collection").filter("id > 0").build()),
                COLLECTION_NOT_FOUND);
        assertServerError(() -> client.insert(InsertReq.builder().collectionName("no_such_collection")
                .data(List.of(quickRow(1, VECTOR))).build()), COLLECTION_NOT_FOUND);
        assertServerError(() -> client.loadCollection(LoadCollectionReq.builder().collectionName("no_such_collection").build()),
                COLLECTION_NOT_FOUND);
    }

    /** Milvus checks 2 <= dim <= 32768 with an unwrapped error (code 65535); 1100 is the typed equivalent. */
    @ParameterizedTest(name = "dimension {0}")
    @ValueSource(ints = {0, 1, 32_769})
    void createCollectionWithAnInvalidDimensionIsRejected(int dimension) {
        String name = uniqueName("bad_dim");
        assertServerError(() -> client.createCollection(CreateCollectionReq.builder().collectionName(name).dimension(dimension).build()),
                PARAMETER_INVALID, UNWRAPPED_ERROR);
        assertFalse(client.listCollections().getCollectionNames().contains(name), "a rejected collection is not created");
    }

    @ParameterizedTest(name = "name \"{0}\"")
    @ValueSource(strings = {"1starts_with_digit", "has-dash", "has space", "ünicode"})
    void createCollectionWithAnInvalidNameFailsWithParameterInvalid(String name) {
        assertServerError(() -> client.createCollection(CreateCollectionReq.builder().collectionName(name).dimension(DIM).build()),
                PARAMETER_INVALID);
    }

    @Test
    void createCollectionWithANameLongerThan255CharactersFailsWithParameterInvalid() {
        String name = "n".repeat(256);
        assertServerError(() -> client.createCollection(CreateCollectionReq.builder().collectionName(name).dimension(DIM).build()),
                PARAMETER_INVALID);
    }

    /** Milvus reports topK and offset+limit violations unwrapped (65535); 1100 is the typed equivalent. */
    @Test
    void searchWithTopKAbove16384IsRejected() {
        assertServerError(() -> client.search(SearchReq.builder().collectionName(healthy).data(List.of(new FloatVec(VECTOR)))
                .limit(16_385).build()), PARAMETER_INVALID, UNWRAPPED_ERROR);
    }

    @Test
    void searchWithOffsetPlusLimitAbove16384IsRejected() {
        assertServerError(() -> client.search(SearchReq.builder().collectionName(healthy).data(List.of(new FloatVec(VECTOR)))
                .limit(10).offset(16_380).build()), PARAMETER_INVALID, UNWRAPPED_ERROR);
    }

    @Test
    void queryWithAMalformedFilterIsRejected() {
        assertServerError(() -> client.query(QueryReq.builder().collectionName(healthy).filter("id >>>= 3 and").build()),
                PARAMETER_INVALID, UNWRAPPED_ERROR);
    }

    @Test
    void queryFilteringOnAnUnknownFieldOfACollectionWithoutDynamicFieldIsRejected() {
        String name = uniqueName("static");
        client.createCollection(CreateCollectionReq.builder().collectionName(name).dimension(DIM).enableDynamicField(false).build());
        awaitLoaded(client, name);
        try {
            assertServerError(() -> client.query(QueryReq.builder().collectionName(name).filter("nope == 1").build()),
                    PARAMETER_INVALID, UNWRAPPED_ERROR);
        } finally {
            dropIfExists(name);
        }
    }

    /** Milvus answers "cannot create index on non-exist field" unwrapped (65535); 1700 (field not found) and 1100 are typed. */
    @Test
    void createIndexOnANonExistentFieldIsRejected() {
        assertServerError(() -> client.createIndex(CreateIndexReq.builder().collectionName(healthy).indexParams(List.of(
                        IndexParam.builder().fieldName("no_such_field").indexType(IndexParam.IndexType.FLAT)
                                .metricType(IndexParam.MetricType.L2).build())).build()),
                PARAMETER_INVALID, UNWRAPPED_ERROR, 1700);
    }

    @Test
    void creatingACollectionThatAlreadyExistsWithAnotherSchemaIsRejected() {
        assertServerError(() -> client.createCollection(CreateCollectionReq.builder().collectionName(healthy).dimension(DIM * 2).build()),
                PARAMETER_INVALID, UNWRAPPED_ERROR);
    }

    // ---------------------------------------------------------------- requests Milvus refuses (issue 9)

    /** knowhere's HNSW checks: ef in [1, 2^31-1] and not below k; the healthy collection's AUTOINDEX is HNSW. */
    @ParameterizedTest(name = "ef {0}")
    @ValueSource(longs = {-1, 0, 5, 2_147_483_648L})
    void hnswSearchWithAnEfOutOfRangeOrBelowTopKIsRejected(long ef) {
        MilvusClientException e = assertServerError(() -> client.search(SearchReq.builder().collectionName(healthy)
                .data(List.of(new FloatVec(VECTOR))).limit(10).searchParams(Map.of("ef", ef)).build()), PARAMETER_INVALID);
        String expected = ef > Integer.MAX_VALUE ? "Arithmetic overflow: param 'ef' (2147483648) should not bigger than 2147483647"
                : ef < 1 ? "Out of range in json: param 'ef' (" + ef + ") should be in range [1, 2147483647]"
                : "ef(5) should be larger than k(10)";
        assertMessageContains(e, expected);
    }

    @Test
    void hnswSearchWithAFractionalEfIsRejected() {
        MilvusClientException e = assertServerError(() -> client.search(SearchReq.builder().collectionName(healthy)
                .data(List.of(new FloatVec(VECTOR))).limit(1).searchParams(Map.of("ef", 16.5)).build()), PARAMETER_INVALID);
        assertMessageContains(e, "Type conflict in json: param 'ef' (16.5) should be integer");
    }

    @Test
    void hnswSearchWithAnEfOfAtLeastTopKIsServed() {
        SearchReq search = SearchReq.builder().collectionName(healthy).data(List.of(new FloatVec(VECTOR))).limit(10)
                .searchParams(Map.of("ef", 10)).consistencyLevel(ConsistencyLevel.STRONG).build();
        assertEquals(1L, client.search(search).getSearchResults().get(0).get(0).getId());
    }

    @ParameterizedTest(name = "component {0}")
    @ValueSource(floats = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY})
    void searchWithANonFiniteQueryVectorIsRejected(float bad) {
        MilvusClientException e = assertServerError(() -> client.search(SearchReq.builder().collectionName(healthy)
                .data(List.of(new FloatVec(new float[]{1, bad, 3, 4}))).limit(1).build()), PARAMETER_INVALID);
        String rendered = Float.isNaN(bad) ? "NaN" : bad > 0 ? "+Inf" : "-Inf";
        assertMessageContains(e, "value '" + rendered + "' is not a number or infinity");
    }

    /** Milvus's validateMaxQueryResultWindow; the SDK sends only positive values, so the raw query params carry these. */
    @Test
    void queryWithANegativeLimitOrOffsetIsRejected() {
        MilvusClientException limit = assertServerError(() -> client.query(QueryReq.builder().collectionName(healthy)
                .filter("id > 0").queryParams(Map.of("limit", "-1")).build()), PARAMETER_INVALID);
        assertMessageContains(limit, "invalid max query result window, limit [-1] is invalid, should be greater than 0");
        MilvusClientException offset = assertServerError(() -> client.query(QueryReq.builder().collectionName(healthy)
                .filter("id > 0").queryParams(Map.of("limit", "10", "offset", "-1")).build()), PARAMETER_INVALID);
        assertMessageContains(offset, "invalid max query result window, offset [-1] is invalid, should be gte than 0");
    }

    @Test
    void dropCollectionWithAnEmptyNameIsRejected() {
        MilvusClientException e = assertServerError(() -> client.dropCollection(DropCollectionReq.builder().collectionName("").build()),
                PARAMETER_INVALID);
        assertMessageContains(e, "collection name should not be empty");
    }

    @Test
    void dropDatabaseWithAnEmptyNameIsRejected() {
        MilvusClientException e = assertServerError(() -> client.dropDatabase(DropDatabaseReq.builder().databaseName("").build()),
                DATABASE_INVALID_NAME);
        assertMessageContains(e, "database name couldn't be empty");
    }

    /** A delete by ids becomes "id in [...]": 200,000 ids make a filter longer than proxy.maxExprLength (1 MiB by default). */
    @Test
    void deleteWithAFilterLongerThanTheExpressionLimitIsRejectedAndDeletesNothing() {
        List<Object> ids = new ArrayList<>(idsBelow(200_000));
        MilvusClientException e = assertServerError(() -> client.delete(DeleteReq.builder().collectionName(healthy).ids(ids).build()),
                PARAMETER_INVALID);
        assertMessageContains(e, "more than proxy.maxExprLength (1048576)");
    }

    @Test
    void queryWithMoreTemplateValuesThanTheLimitIsRejected() {
        List<Long> ids = idsBelow(131_073);
        MilvusClientException e = assertServerError(() -> client.query(QueryReq.builder().collectionName(healthy)
                .filter("id in {ids}").filterTemplateValues(Map.of("ids", ids)).build()), PARAMETER_INVALID);
        assertMessageContains(e, "the filter's template values hold 131073 values, more than proxy.maxExprTemplateTerms (131072)");
    }

    /** Milvus's proxy check of radius and range_filter: refused before any segment is searched, so an empty collection too. */
    @Test
    void rangeSearchWithRangeFilterOnTheWrongSideOfRadiusIsRejectedEvenOnAnEmptyCollection() {
        String name = uniqueName("empty_range");
        client.createCollection(CreateCollectionReq.builder().collectionName(name).dimension(DIM).metricType("COSINE").build());
        awaitLoaded(client, name);
        try {
            MilvusClientException e = assertServerError(() -> client.search(SearchReq.builder().collectionName(name)
                    .data(List.of(new FloatVec(VECTOR))).limit(1).searchParams(Map.of("radius", 0.8, "range_filter", 0.5))
                    .build()), PARAMETER_INVALID);
            assertMessageContains(e, "range_filter must be greater than radius for IP/COSINE, range_filter:0.500000, radius:0.800000");
        } finally {
            dropIfExists(name);
        }
    }

    /** Build params the index engine refuses are an invalid parameter with the engine's reason, not an internal error. */
    @Test
    void createIndexWithBuildParamsTheEngineRefusesIsRejected() {
        MilvusClientException m = assertServerError(() -> client.createIndex(CreateIndexReq.builder().collectionName(healthy)
                .indexParams(List.of(IndexParam.builder().fieldName("vector").indexType(IndexParam.IndexType.HNSW)
                        .metricType(IndexParam.MetricType.L2).extraParams(Map.of("M", 1)).build())).build()), PARAMETER_INVALID);
        assertMessageContains(m, "M out of range: [2, 2048]: invalid parameter");
        MilvusClientException pq = assertServerError(() -> client.createIndex(CreateIndexReq.builder().collectionName(healthy)
                .indexParams(List.of(IndexParam.builder().fieldName("vector").indexType(IndexParam.IndexType.IVF_PQ)
                        .metricType(IndexParam.MetricType.L2).extraParams(Map.of("m", 3)).build())).build()), PARAMETER_INVALID);
        assertMessageContains(pq, "The dimension of the vector (dim) should be a multiple of the number of subquantizers (m). Dimension:4, m:3");
    }

    /** The ids 0 .. n-1. */
    private static List<Long> idsBelow(long n) {
        return LongStream.range(0, n).boxed().toList();
    }

    private static void assertMessageContains(MilvusClientException e, String expected) {
        assertTrue(e.getMessage().contains(expected), () -> "expected \"" + expected + "\" in: " + e.getMessage());
    }
}
