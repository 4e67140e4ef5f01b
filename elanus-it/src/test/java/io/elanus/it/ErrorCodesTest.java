package io.elanus.it;

import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.common.IndexParam;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.collection.request.DescribeCollectionReq;
import io.milvus.v2.service.collection.request.LoadCollectionReq;
import io.milvus.v2.service.index.request.CreateIndexReq;
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

import java.util.List;

import static io.elanus.it.MilvusAssertions.COLLECTION_NOT_FOUND;
import static io.elanus.it.MilvusAssertions.PARAMETER_INVALID;
import static io.elanus.it.MilvusAssertions.UNWRAPPED_ERROR;
import static io.elanus.it.MilvusAssertions.assertServerError;
import static io.elanus.it.MilvusAssertions.awaitLoaded;
import static io.elanus.it.SearchAndQueryTest.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
}
