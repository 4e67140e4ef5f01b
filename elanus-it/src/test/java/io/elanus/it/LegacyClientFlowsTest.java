package io.elanus.it;

import com.google.gson.JsonObject;
import io.elanus.testkit.Seed;
import io.elanus.testkit.Seeds;
import io.milvus.client.MilvusServiceClient;
import io.milvus.common.clientenum.ConsistencyLevelEnum;
import io.milvus.grpc.DataType;
import io.milvus.grpc.MutationResult;
import io.milvus.grpc.QueryResults;
import io.milvus.grpc.SearchResults;
import io.milvus.param.ConnectParam;
import io.milvus.param.IndexType;
import io.milvus.param.MetricType;
import io.milvus.param.R;
import io.milvus.param.collection.CreateCollectionParam;
import io.milvus.param.collection.DropCollectionParam;
import io.milvus.param.collection.FieldType;
import io.milvus.param.collection.FlushParam;
import io.milvus.param.collection.HasCollectionParam;
import io.milvus.param.collection.LoadCollectionParam;
import io.milvus.param.dml.DeleteParam;
import io.milvus.param.dml.InsertParam;
import io.milvus.param.dml.QueryParam;
import io.milvus.param.dml.SearchParam;
import io.milvus.param.index.CreateIndexParam;
import io.milvus.param.index.DescribeIndexParam;
import io.milvus.response.QueryResultsWrapper;
import io.milvus.response.SearchResultsWrapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.elanus.it.MilvusAssertions.INDEX_NOT_FOUND;
import static io.elanus.it.MilvusAssertions.assertClose;
import static io.elanus.it.MilvusAssertions.assertFailedWith;
import static io.elanus.it.MilvusAssertions.assertOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The legacy {@code MilvusServiceClient} call sequences that LangChain4j's and Spring AI's Milvus stores make:
 * VarChar UUID keys, a text field, JSON metadata filtered with {@code metadata["key"]}, and a float vector.
 */
@ExtendWith(Seeds.class)
class LegacyClientFlowsTest extends SharedServerTestBase {

    private static final int DIM = 8;
    private static MilvusServiceClient legacy;

    @BeforeAll
    static void connectLegacyClient() {
        legacy = new MilvusServiceClient(ConnectParam.newBuilder().withHost("127.0.0.1").withPort(server.port())
                .withRpcDeadline(60, TimeUnit.SECONDS).build());
    }

    @AfterAll
    static void closeLegacyClient() {
        if (legacy != null) {
            legacy.close();
        }
    }

    /** One stored document of the flows: id, text, metadata, embedding. */
    private record Document(String id, String text, JsonObject metadata, float[] embedding) {
    }

    private static List<Document> documents(int count, long seed) {
        Random random = new Random(seed);
        float[][] embeddings = Vectors.randomFloats(random, count, DIM);
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            JsonObject metadata = new JsonObject();
            metadata.addProperty("key", i % 2 == 0 ? "v" : "w");
            metadata.addProperty("author", i % 3 == 0 ? "john" : "jane");
            metadata.addProperty("page", i);
            docs.add(new Document(new UUID(seed, i).toString(), "text number " + i, metadata, embeddings[i]));
        }
        return docs;
    }

    private static CreateCollectionParam documentCollection(String name, String idField, String textField,
                                                            String vectorField, ConsistencyLevelEnum consistency) {
        return CreateCollectionParam.newBuilder().withCollectionName(name).withConsistencyLevel(consistency)
                .addFieldType(FieldType.newBuilder().withName(idField).withDataType(DataType.VarChar).withMaxLength(36)
                        .withPrimaryKey(true).withAutoID(false).build())
                .addFieldType(FieldType.newBuilder().withName(textField).withDataType(DataType.VarChar).withMaxLength(65535).build())
                .addFieldType(FieldType.newBuilder().withName("metadata").withDataType(DataType.JSON).build())
                .addFieldType(FieldType.newBuilder().withName(vectorField).withDataType(DataType.FloatVector).withDimension(DIM).build())
                .build();
    }

    private static List<InsertParam.Field> columns(List<Document> docs, String idField, String textField, String vectorField) {
        List<String> ids = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        List<JsonObject> metadata = new ArrayList<>();
        List<List<Float>> vectors = new ArrayList<>();
        for (Document doc : docs) {
            ids.add(doc.id());
            texts.add(doc.text());
            metadata.add(doc.metadata());
            vectors.add(Vectors.boxed(doc.embedding()));
        }
        return List.of(new InsertParam.Field(idField, ids), new InsertParam.Field(textField, texts),
                new InsertParam.Field("metadata", metadata), new InsertParam.Field(vectorField, vectors));
    }

    @Test
    void langChain4jFlowCreatesInsertsFlushesSearchesByMetadataQueriesByIdsAndDeletes(Seed seed) {
        String name = uniqueName("langchain4j");
        assertFalse(assertOk(legacy.hasCollection(HasCollectionParam.newBuilder().withCollectionName(name).build())));
        assertOk(legacy.createCollection(documentCollection(name, "id", "text", "vector", ConsistencyLevelEnum.BOUNDED)));
        assertTrue(assertOk(legacy.hasCollection(HasCollectionParam.newBuilder().withCollectionName(name).build())));
        assertOk(legacy.createIndex(CreateIndexParam.newBuilder().withCollectionName(name).withFieldName("vector")
                .withIndexType(IndexType.FLAT).withMetricType(MetricType.COSINE).build()));
        assertOk(legacy.loadCollection(LoadCollectionParam.newBuilder().withCollectionName(name).build()));

        List<Document> docs = documents(60, seed.derive(1));
        MutationResult inserted = assertOk(legacy.insert(InsertParam.newBuilder().withCollectionName(name)
                .withFields(columns(docs, "id", "text", "vector")).build()));
        assertEquals(60, inserted.getInsertCnt());
        assertOk(legacy.flush(FlushParam.newBuilder().addCollectionName(name).build()));

        float[] query = docs.get(10).embedding();
        SearchResults results = assertOk(legacy.search(SearchParam.newBuilder().withCollectionName(name)
                .withVectorFieldName("vector").withFloatVectors(List.of(Vectors.boxed(query))).withLimit(5L)
                .withMetricType(MetricType.COSINE).withExpr("metadata[\"key\"] == \"v\"")
                .withOutFields(List.of("text", "metadata")).withConsistencyLevel(ConsistencyLevelEnum.STRONG).build()));
        SearchResultsWrapper wrapper = new SearchResultsWrapper(results.getResults());
        List<SearchResultsWrapper.IDScore> hits = wrapper.getIDScore(0);
        assertEquals(5, hits.size());
        assertEquals(docs.get(10).id(), hits.get(0).getStrID(), "document 10 matches the filter and is its own nearest");
        double[] scores = new double[docs.size()];
        for (int i = 0; i < docs.size(); i++) {
            scores[i] = i % 2 == 0 ? Vectors.score(Vectors.Metric.COSINE, query, docs.get(i).embedding()) : Double.NEGATIVE_INFINITY;
        }
        List<Vectors.Hit> expected = Vectors.topK(scores, Vectors.Metric.COSINE, 5);
        for (int rank = 0; rank < 5; rank++) {
            assertClose(expected.get(rank).score(), hits.get(rank).getScore(), "score at rank " + rank);
            String text = String.valueOf(hits.get(rank).get("text"));
            int row = Integer.parseInt(text.substring("text number ".length()));
            assertEquals(docs.get(row).id(), hits.get(rank).getStrID(), "text belongs to the returned id");
            assertEquals(0, row % 2, "only metadata.key == v rows match");
        }

        List<String> wanted = List.of(docs.get(3).id(), docs.get(4).id());
        QueryResults byIds = assertOk(legacy.query(QueryParam.newBuilder().withCollectionName(name)
                .withExpr("id in [\"" + wanted.get(0) + "\", \"" + wanted.get(1) + "\"]")
                .withOutFields(List.of("id", "text", "metadata")).withConsistencyLevel(ConsistencyLevelEnum.STRONG).build()));
        Set<String> ids = new HashSet<>();
        for (QueryResultsWrapper.RowRecord record : new QueryResultsWrapper(byIds).getRowRecords()) {
            ids.add(String.valueOf(record.get("id")));
        }
        assertEquals(new HashSet<>(wanted), ids);

        assertOk(legacy.delete(DeleteParam.newBuilder().withCollectionName(name)
                .withExpr("id in [\"" + wanted.get(1) + "\"]").build()));
        assertOk(legacy.delete(DeleteParam.newBuilder().withCollectionName(name).withExpr("metadata[\"key\"] == \"w\"").build()));
        QueryResults remaining = assertOk(legacy.query(QueryParam.newBuilder().withCollectionName(name)
                .withExpr("").withOutFields(List.of("count(*)")).withConsistencyLevel(ConsistencyLevelEnum.STRONG).build()));
        assertEquals(29L, new QueryResultsWrapper(remaining).getRowRecords().get(0).get("count(*)"),
                "60 rows - 30 with key w - document 4 (key v) deleted by id");
        assertOk(legacy.dropCollection(DropCollectionParam.newBuilder().withCollectionName(name).build()));
    }

    @Test
    void springAiFlowUsesStrongConsistencyDescribeIndexFailsWithoutIndexThenIvfFlatOrAClearNotSupported(Seed seed) {
        String name = uniqueName("spring_ai");
        assertOk(legacy.createCollection(documentCollection(name, "doc_id", "content", "embedding", ConsistencyLevelEnum.STRONG)));
        assertFailedWith(legacy.describeIndex(DescribeIndexParam.newBuilder().withCollectionName(name).build()), INDEX_NOT_FOUND);

        R<?> ivf = legacy.createIndex(CreateIndexParam.newBuilder().withCollectionName(name).withFieldName("embedding")
                .withIndexType(IndexType.IVF_FLAT).withMetricType(MetricType.COSINE).withExtraParam("{\"nlist\":1024}")
                .withSyncMode(false).build());
        if (ivf.getStatus() != R.Status.Success.getCode()) {
            String message = ivf.getException().getMessage().toLowerCase(Locale.ROOT);
            assertTrue(message.contains("not supported") || message.contains("unsupported"),
                    "IVF_FLAT may only be refused as unsupported, got: " + ivf.getException().getMessage());
            assertOk(legacy.createIndex(CreateIndexParam.newBuilder().withCollectionName(name).withFieldName("embedding")
                    .withIndexType(IndexType.AUTOINDEX).withMetricType(MetricType.COSINE).build()));
        }
        assertOk(legacy.describeIndex(DescribeIndexParam.newBuilder().withCollectionName(name).build()));
        assertOk(legacy.loadCollection(LoadCollectionParam.newBuilder().withCollectionName(name).build()));

        List<Document> docs = documents(30, seed.derive(2));
        List<JsonObject> rows = new ArrayList<>();
        for (Document doc : docs) {
            JsonObject row = new JsonObject();
            row.addProperty("doc_id", doc.id());
            row.addProperty("content", doc.text());
            row.add("metadata", doc.metadata());
            row.add("embedding", jsonVector(doc.embedding()));
            rows.add(row);
        }
        assertOk(legacy.insert(InsertParam.newBuilder().withCollectionName(name).withRows(rows).build()));

        // No consistency level on the request: the collection's STRONG default must make the rows visible at once.
        SearchResults results = assertOk(legacy.search(SearchParam.newBuilder().withCollectionName(name)
                .withVectorFieldName("embedding").withFloatVectors(List.of(Vectors.boxed(docs.get(6).embedding())))
                .withLimit(3L).withMetricType(MetricType.COSINE).withExpr("metadata[\"author\"] == \"john\"")
                .withOutFields(List.of("content", "metadata")).build()));
        List<SearchResultsWrapper.IDScore> hits = new SearchResultsWrapper(results.getResults()).getIDScore(0);
        assertEquals(3, hits.size());
        assertEquals(docs.get(6).id(), hits.get(0).getStrID());
        for (SearchResultsWrapper.IDScore hit : hits) {
            assertTrue(String.valueOf(hit.get("metadata")).contains("john"), "filtered by author: " + hit.get("metadata"));
        }

        assertOk(legacy.delete(DeleteParam.newBuilder().withCollectionName(name)
                .withExpr("doc_id in [\"" + docs.get(6).id() + "\"]").build()));
        QueryResults gone = assertOk(legacy.query(QueryParam.newBuilder().withCollectionName(name)
                .withExpr("doc_id in [\"" + docs.get(6).id() + "\"]").withOutFields(List.of("doc_id")).build()));
        assertEquals(0, new QueryResultsWrapper(gone).getRowRecords().size());
        assertOk(legacy.dropCollection(DropCollectionParam.newBuilder().withCollectionName(name).build()));
    }
}
