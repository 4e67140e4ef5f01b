package io.elanus.it;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.common.DataType;
import io.milvus.v2.common.IndexParam;
import io.milvus.v2.service.collection.request.AddFieldReq;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.collection.request.DescribeCollectionReq;
import io.milvus.v2.service.collection.request.DropCollectionReq;
import io.milvus.v2.service.collection.request.HasCollectionReq;
import io.milvus.v2.service.collection.request.RenameCollectionReq;
import io.milvus.v2.service.collection.response.DescribeCollectionResp;
import io.milvus.v2.service.database.request.CreateDatabaseReq;
import io.milvus.v2.service.database.request.DescribeDatabaseReq;
import io.milvus.v2.service.database.request.DropDatabaseReq;
import io.milvus.v2.service.index.request.DescribeIndexReq;
import io.milvus.v2.service.index.response.DescribeIndexResp;
import io.milvus.v2.service.partition.request.CreatePartitionReq;
import io.milvus.v2.service.partition.request.DropPartitionReq;
import io.milvus.v2.service.partition.request.HasPartitionReq;
import io.milvus.v2.service.partition.request.ListPartitionsReq;
import io.milvus.v2.service.partition.request.ReleasePartitionsReq;
import io.milvus.v2.service.utility.request.AlterAliasReq;
import io.milvus.v2.service.utility.request.CreateAliasReq;
import io.milvus.v2.service.utility.request.DescribeAliasReq;
import io.milvus.v2.service.utility.request.DropAliasReq;
import io.milvus.v2.service.utility.request.ListAliasesReq;
import io.milvus.v2.service.vector.request.GetReq;
import io.milvus.v2.service.vector.request.InsertReq;
import io.milvus.v2.service.vector.request.QueryReq;
import io.milvus.v2.service.vector.request.SearchReq;
import io.milvus.v2.service.vector.request.data.FloatVec;
import io.milvus.v2.service.vector.response.QueryResp;
import io.milvus.v2.service.vector.response.SearchResp;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.elanus.it.MilvusAssertions.ALIAS_NOT_FOUND;
import static io.elanus.it.MilvusAssertions.COLLECTION_NOT_FOUND;
import static io.elanus.it.MilvusAssertions.DATABASE_NOT_FOUND;
import static io.elanus.it.MilvusAssertions.assertServerError;
import static io.elanus.it.MilvusAssertions.awaitLoaded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Collection, database, partition and alias DDL through MilvusClientV2. */
class CollectionDdlTest extends SharedServerTestBase {

    private static final int DIM = 8;

    @Test
    void quickSetupCreatesInt64IdFloatVectorDynamicFieldCosineAutoindexAndLoads() {
        String name = uniqueName("quick");
        client.createCollection(CreateCollectionReq.builder().collectionName(name).dimension(DIM).build());

        DescribeCollectionResp described = client.describeCollection(DescribeCollectionReq.builder().collectionName(name).build());
        assertEquals(name, described.getCollectionName());
        assertEquals("id", described.getPrimaryFieldName());
        assertEquals(List.of("vector"), described.getVectorFieldNames());
        assertTrue(described.getEnableDynamicField(), "quick setup enables the dynamic field");
        assertFalse(described.getAutoID(), "quick setup from the Java SDK keeps autoID off");
        CreateCollectionReq.FieldSchema id = described.getCollectionSchema().getField("id");
        assertEquals(DataType.Int64, id.getDataType());
        assertTrue(id.getIsPrimaryKey());
        CreateCollectionReq.FieldSchema vector = described.getCollectionSchema().getField("vector");
        assertEquals(DataType.FloatVector, vector.getDataType());
        assertEquals(DIM, vector.getDimension());

        DescribeIndexResp.IndexDesc index = client.describeIndex(DescribeIndexReq.builder()
                .collectionName(name).fieldName("vector").build()).getIndexDescByFieldName("vector");
        assertNotNull(index, "quick setup creates an index on the vector field");
        assertEquals(IndexParam.IndexType.AUTOINDEX, index.getIndexType());
        assertEquals(IndexParam.MetricType.COSINE, index.getMetricType());

        awaitLoaded(client, name);
        JsonObject row = quickRow(7, new float[]{1, 0, 0, 0, 0, 0, 0, 0});
        row.addProperty("color", "red");
        client.insert(InsertReq.builder().collectionName(name).data(List.of(row)).build());
        QueryResp rows = client.query(QueryReq.builder().collectionName(name).filter("color == \"red\"")
                .outputFields(List.of("id", "color")).consistencyLevel(ConsistencyLevel.STRONG).build());
        assertEquals(1, rows.getQueryResults().size());
        assertEquals(7L, rows.getQueryResults().get(0).getEntity().get("id"));
        assertEquals("red", rows.getQueryResults().get(0).getEntity().get("color"));
        dropIfExists(name);
    }

    @Test
    void customSchemaWithEveryScalarTypeDescribesAndRoundTripsValues() {
        String name = uniqueName("typed");
        CreateCollectionReq.CollectionSchema schema = CreateCollectionReq.CollectionSchema.builder().enableDynamicField(false).build();
        schema.addField(AddFieldReq.builder().fieldName("pk").dataType(DataType.Int64).isPrimaryKey(true).autoID(false).build());
        schema.addField(AddFieldReq.builder().fieldName("f_bool").dataType(DataType.Bool).build());
        schema.addField(AddFieldReq.builder().fieldName("f_int8").dataType(DataType.Int8).build());
        schema.addField(AddFieldReq.builder().fieldName("f_int16").dataType(DataType.Int16).build());
        schema.addField(AddFieldReq.builder().fieldName("f_int32").dataType(DataType.Int32).build());
        schema.addField(AddFieldReq.builder().fieldName("f_int64").dataType(DataType.Int64).build());
        schema.addField(AddFieldReq.builder().fieldName("f_float").dataType(DataType.Float).build());
        schema.addField(AddFieldReq.builder().fieldName("f_double").dataType(DataType.Double).build());
        schema.addField(AddFieldReq.builder().fieldName("f_varchar").dataType(DataType.VarChar).maxLength(64).build());
        schema.addField(AddFieldReq.builder().fieldName("f_json").dataType(DataType.JSON).build());
        schema.addField(AddFieldReq.builder().fieldName("f_array").dataType(DataType.Array)
                .elementType(DataType.Int64).maxCapacity(8).build());
        schema.addField(AddFieldReq.builder().fieldName("f_tags").dataType(DataType.Array)
                .elementType(DataType.VarChar).maxCapacity(4).maxLength(16).build());
        schema.addField(AddFieldReq.builder().fieldName("embedding").dataType(DataType.FloatVector).dimension(DIM).build());
        IndexParam index = IndexParam.builder().fieldName("embedding").indexType(IndexParam.IndexType.FLAT)
                .metricType(IndexParam.MetricType.L2).build();
        // Strong by default: get() carries no consistency level, and the row is read right after its insert.
        client.createCollection(CreateCollectionReq.builder().collectionName(name).collectionSchema(schema)
                .indexParams(List.of(index)).consistencyLevel(ConsistencyLevel.STRONG).build());

        CreateCollectionReq.CollectionSchema described = client.describeCollection(
                DescribeCollectionReq.builder().collectionName(name).build()).getCollectionSchema();
        assertEquals(DataType.Bool, described.getField("f_bool").getDataType());
        assertEquals(DataType.Int8, described.getField("f_int8").getDataType());
        assertEquals(DataType.Int16, described.getField("f_int16").getDataType());
        assertEquals(DataType.Int32, described.getField("f_int32").getDataType());
        assertEquals(DataType.Int64, described.getField("f_int64").getDataType());
        assertEquals(DataType.Float, described.getField("f_float").getDataType());
        assertEquals(DataType.Double, described.getField("f_double").getDataType());
        assertEquals(DataType.VarChar, described.getField("f_varchar").getDataType());
        assertEquals(64, described.getField("f_varchar").getMaxLength());
        assertEquals(DataType.JSON, described.getField("f_json").getDataType());
        assertEquals(DataType.Array, described.getField("f_array").getDataType());
        assertEquals(DataType.Int64, described.getField("f_array").getElementType());
        assertEquals(8, described.getField("f_array").getMaxCapacity());
        assertEquals(DataType.VarChar, described.getField("f_tags").getElementType());
        assertEquals(DIM, described.getField("embedding").getDimension());
        assertTrue(described.getField("pk").getIsPrimaryKey());

        awaitLoaded(client, name);
        List<JsonObject> rows = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JsonObject row = new JsonObject();
            row.addProperty("pk", 100 + i);
            row.addProperty("f_bool", i % 2 == 0);
            row.addProperty("f_int8", -100 + i);
            row.addProperty("f_int16", -30_000 + i);
            row.addProperty("f_int32", 2_000_000_000 + i);
            row.addProperty("f_int64", 9_000_000_000_000_000_000L + i);
            row.addProperty("f_float", 1.5f + i);
            row.addProperty("f_double", 1e100 * (i + 1));
            row.addProperty("f_varchar", "text-" + i + "-é");
            JsonObject json = new JsonObject();
            json.addProperty("k", "v" + i);
            json.addProperty("n", i);
            row.add("f_json", json);
            JsonArray array = new JsonArray();
            array.add(i);
            array.add(i * 10L);
            row.add("f_array", array);
            JsonArray tags = new JsonArray();
            tags.add("t" + i);
            row.add("f_tags", tags);
            row.add("embedding", jsonVector(new float[]{i, 1, 2, 3, 4, 5, 6, 7}));
            rows.add(row);
        }
        client.insert(InsertReq.builder().collectionName(name).data(rows).build());

        List<QueryResp.QueryResult> got = client.get(GetReq.builder().collectionName(name).ids(List.of(101L))
                .outputFields(List.of("*")).build()).getGetResults();
        assertEquals(1, got.size());
        Map<String, Object> entity = got.get(0).getEntity();
        assertEquals(101L, entity.get("pk"));
        assertEquals(false, entity.get("f_bool"));
        assertEquals(-99, ((Number) entity.get("f_int8")).intValue());
        assertEquals(-29_999, ((Number) entity.get("f_int16")).intValue());
        assertEquals(2_000_000_001, ((Number) entity.get("f_int32")).intValue());
        assertEquals(9_000_000_000_000_000_001L, entity.get("f_int64"));
        assertEquals(2.5f, ((Number) entity.get("f_float")).floatValue());
        assertEquals(2e100, ((Number) entity.get("f_double")).doubleValue());
        assertEquals("text-1-é", entity.get("f_varchar"));
        JsonObject json = JsonParser.parseString(String.valueOf(entity.get("f_json"))).getAsJsonObject();
        assertEquals("v1", json.get("k").getAsString());
        assertEquals(1, json.get("n").getAsInt());
        assertEquals(List.of(1L, 10L), entity.get("f_array"));
        assertEquals(List.of("t1"), entity.get("f_tags"));
        assertEquals(Vectors.boxed(new float[]{1, 1, 2, 3, 4, 5, 6, 7}), entity.get("embedding"));
        dropIfExists(name);
    }

    @Test
    void hasDescribeListRenameAndDropCollection() {
        String name = uniqueName("lifecycle");
        String renamed = name + "_renamed";
        assertFalse(client.hasCollection(HasCollectionReq.builder().collectionName(name).build()));
        client.createCollection(CreateCollectionReq.builder().collectionName(name).dimension(DIM).build());
        assertTrue(client.hasCollection(HasCollectionReq.builder().collectionName(name).build()));
        assertTrue(client.listCollections().getCollectionNames().contains(name));

        client.renameCollection(RenameCollectionReq.builder().collectionName(name).newCollectionName(renamed).build());
        assertFalse(client.hasCollection(HasCollectionReq.builder().collectionName(name).build()));
        assertTrue(client.hasCollection(HasCollectionReq.builder().collectionName(renamed).build()));
        assertEquals(renamed, client.describeCollection(DescribeCollectionReq.builder().collectionName(renamed).build())
                .getCollectionName());
        assertServerError(() -> client.describeCollection(DescribeCollectionReq.builder().collectionName(name).build()),
                COLLECTION_NOT_FOUND);

        client.dropCollection(DropCollectionReq.builder().collectionName(renamed).build());
        assertFalse(client.hasCollection(HasCollectionReq.builder().collectionName(renamed).build()));
        assertFalse(client.listCollections().getCollectionNames().contains(renamed));
    }

    @Test
    void databasesCreateListDescribeUseAndDrop() throws InterruptedException {
        String db = uniqueName("db");
        assertTrue(client.listDatabases().getDatabaseNames().contains("default"), "the default database always exists");
        client.createDatabase(CreateDatabaseReq.builder().databaseName(db).build());
        assertTrue(client.listDatabases().getDatabaseNames().contains(db));
        assertEquals(db, client.describeDatabase(DescribeDatabaseReq.builder().databaseName(db).build()).getDatabaseName());

        String collection = uniqueName("in_db");
        var dbClient = newClient(server);
        try {
            dbClient.useDatabase(db);
            dbClient.createCollection(CreateCollectionReq.builder().collectionName(collection).dimension(DIM).build());
            assertEquals(List.of(collection), dbClient.listCollections().getCollectionNames());
            assertFalse(client.hasCollection(HasCollectionReq.builder().collectionName(collection).build()),
                    "a collection of another database is invisible from default");
            dbClient.dropCollection(DropCollectionReq.builder().collectionName(collection).build());
        } finally {
            dbClient.close();
        }
        client.dropDatabase(DropDatabaseReq.builder().databaseName(db).build());
        assertFalse(client.listDatabases().getDatabaseNames().contains(db));
        assertServerError(() -> client.describeDatabase(DescribeDatabaseReq.builder().databaseName(db).build()),
                DATABASE_NOT_FOUND);
    }

    @Test
    void partitionsCreateHasListInsertSearchByPartitionAndDrop() {
        String name = uniqueName("parts");
        client.createCollection(CreateCollectionReq.builder().collectionName(name).dimension(DIM).build());
        client.createPartition(CreatePartitionReq.builder().collectionName(name).partitionName("p_one").build());
        assertTrue(client.hasPartition(HasPartitionReq.builder().collectionName(name).partitionName("p_one").build()));
        assertFalse(client.hasPartition(HasPartitionReq.builder().collectionName(name).partitionName("p_none").build()));
        assertEquals(Set.of("_default", "p_one"),
                new HashSet<>(client.listPartitions(ListPartitionsReq.builder().collectionName(name).build())));
        awaitLoaded(client, name);

        float[] query = {1, 0, 0, 0, 0, 0, 0, 0};
        client.insert(InsertReq.builder().collectionName(name).data(List.of(quickRow(1, query))).build());
        client.insert(InsertReq.builder().collectionName(name).partitionName("p_one")
                .data(List.of(quickRow(2, new float[]{1, 1, 0, 0, 0, 0, 0, 0}))).build());

        SearchResp inPartition = client.search(SearchReq.builder().collectionName(name).partitionNames(List.of("p_one"))
                .data(List.of(new FloatVec(query))).limit(10).consistencyLevel(ConsistencyLevel.STRONG).build());
        assertEquals(List.of(2L), inPartition.getSearchResults().get(0).stream().map(SearchResp.SearchResult::getId).toList());
        SearchResp everywhere = client.search(SearchReq.builder().collectionName(name)
                .data(List.of(new FloatVec(query))).limit(10).consistencyLevel(ConsistencyLevel.STRONG).build());
        assertEquals(List.of(1L, 2L), everywhere.getSearchResults().get(0).stream().map(SearchResp.SearchResult::getId).toList());

        client.releasePartitions(ReleasePartitionsReq.builder().collectionName(name).partitionNames(List.of("p_one")).build());
        client.dropPartition(DropPartitionReq.builder().collectionName(name).partitionName("p_one").build());
        assertFalse(client.hasPartition(HasPartitionReq.builder().collectionName(name).partitionName("p_one").build()));
        assertEquals(List.of("_default"), client.listPartitions(ListPartitionsReq.builder().collectionName(name).build()));
        dropIfExists(name);
    }

    @Test
    void aliasesCreateDescribeListAlterDropAndServeSearches() {
        String first = uniqueName("alias_target_a");
        String second = uniqueName("alias_target_b");
        String alias = uniqueName("alias");
        float[] query = {0, 0, 1, 0, 0, 0, 0, 0};
        for (String name : List.of(first, second)) {
            client.createCollection(CreateCollectionReq.builder().collectionName(name).dimension(DIM).build());
            awaitLoaded(client, name);
        }
        client.insert(InsertReq.builder().collectionName(first).data(List.of(quickRow(10, query))).build());
        client.insert(InsertReq.builder().collectionName(second).data(List.of(quickRow(20, query))).build());

        client.createAlias(CreateAliasReq.builder().collectionName(first).alias(alias).build());
        assertEquals(first, client.describeAlias(DescribeAliasReq.builder().alias(alias).build()).getCollectionName());
        assertEquals(List.of(alias), client.listAliases(ListAliasesReq.builder().collectionName(first).build()).getAlias());
        assertEquals(List.of(10L), searchIds(alias, query));

        client.alterAlias(AlterAliasReq.builder().collectionName(second).alias(alias).build());
        assertEquals(second, client.describeAlias(DescribeAliasReq.builder().alias(alias).build()).getCollectionName());
        assertEquals(List.of(20L), searchIds(alias, query));

        client.dropAlias(DropAliasReq.builder().alias(alias).build());
        assertServerError(() -> client.describeAlias(DescribeAliasReq.builder().alias(alias).build()), ALIAS_NOT_FOUND);
        assertTrue(client.listAliases(ListAliasesReq.builder().collectionName(second).build()).getAlias().isEmpty());
        dropIfExists(first);
        dropIfExists(second);
    }

    private static List<Object> searchIds(String collectionOrAlias, float[] query) {
        return client.search(SearchReq.builder().collectionName(collectionOrAlias).data(List.of(new FloatVec(query)))
                        .limit(5).consistencyLevel(ConsistencyLevel.STRONG).build())
                .getSearchResults().get(0).stream().map(SearchResp.SearchResult::getId).toList();
    }
}
