package io.elanus.it;

import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import io.elanus.testkit.Seed;
import io.elanus.testkit.Seeds;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.common.DataType;
import io.milvus.v2.common.IndexParam;
import io.milvus.v2.service.collection.request.AddFieldReq;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.partition.request.ListPartitionsReq;
import io.milvus.v2.service.vector.request.InsertReq;
import io.milvus.v2.service.vector.request.QueryReq;
import io.milvus.v2.service.vector.request.UpsertReq;
import io.milvus.v2.service.vector.response.QueryResp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Partition keys, nullable fields, default values and partial-update upserts, checked row by row. */
@ExtendWith(Seeds.class)
class SchemaFeaturesTest extends SharedServerTestBase {
    private static final int DIM = 8;

    @Test
    void partitionKeyRoutesRowsToItsPartitionsAndFiltersFindThemAll(Seed seed) {
        String name = uniqueName("pkey");
        CreateCollectionReq.CollectionSchema schema = schemaWithId();
        schema.addField(AddFieldReq.builder().fieldName("tenant").dataType(DataType.VarChar).maxLength(32)
                .isPartitionKey(true).build());
        schema.addField(AddFieldReq.builder().fieldName("vector").dataType(DataType.FloatVector).dimension(DIM).build());
        client.createCollection(CreateCollectionReq.builder().collectionName(name).collectionSchema(schema)
                .numPartitions(4).consistencyLevel(ConsistencyLevel.STRONG)
                .indexParams(List.of(IndexParam.builder().fieldName("vector").indexType(IndexParam.IndexType.FLAT)
                        .metricType(IndexParam.MetricType.L2).build())).build());
        try {
            List<String> partitions = client.listPartitions(ListPartitionsReq.builder().collectionName(name).build());
            assertEquals(4, partitions.size(), "num_partitions partitions are created: " + partitions);
            float[][] vectors = Vectors.randomFloats(seed.random(5), 200, DIM);
            List<JsonObject> rows = new ArrayList<>();
            Map<String, Integer> perTenant = new HashMap<>();
            for (int i = 0; i < vectors.length; i++) {
                String tenant = "tenant-" + (i % 7);
                perTenant.merge(tenant, 1, Integer::sum);
                JsonObject row = new JsonObject();
                row.addProperty("id", i);
                row.addProperty("tenant", tenant);
                row.add("vector", jsonVector(vectors[i]));
                rows.add(row);
            }
            client.insert(InsertReq.builder().collectionName(name).data(rows).build());
            assertEquals(200L, count(name, ""));
            for (Map.Entry<String, Integer> e : perTenant.entrySet()) {
                assertEquals((long) e.getValue(), count(name, "tenant == \"" + e.getKey() + "\""), e.getKey());
            }
        } finally {
            dropIfExists(name);
        }
    }

    @Test
    void nullableAndDefaultValuesAreFilledAndFilterable(Seed seed) {
        String name = uniqueName("nulls");
        CreateCollectionReq.CollectionSchema schema = schemaWithId();
        schema.addField(AddFieldReq.builder().fieldName("note").dataType(DataType.VarChar).maxLength(64).isNullable(true).build());
        schema.addField(AddFieldReq.builder().fieldName("score").dataType(DataType.Int32).defaultValue(7).build());
        schema.addField(AddFieldReq.builder().fieldName("vector").dataType(DataType.FloatVector).dimension(DIM).build());
        createStrongFlatCollection(name, schema);
        try {
            float[][] vectors = Vectors.randomFloats(seed.random(6), 10, DIM);
            List<JsonObject> rows = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                JsonObject row = new JsonObject();
                row.addProperty("id", i);
                if (i % 2 == 0) {
                    row.addProperty("note", "n" + i);
                    row.addProperty("score", i * 10);
                } else {
                    row.add("note", JsonNull.INSTANCE);
                }
                row.add("vector", jsonVector(vectors[i]));
                rows.add(row);
            }
            client.insert(InsertReq.builder().collectionName(name).data(rows).build());
            assertEquals(5L, count(name, "note is null"));
            assertEquals(5L, count(name, "note is not null"));
            assertEquals(5L, count(name, "score == 7"), "rows without a score get the default value");
            QueryResp.QueryResult odd = query(name, "id == 3", List.of("note", "score")).get(0);
            assertNull(odd.getEntity().get("note"));
            assertEquals(7, ((Number) odd.getEntity().get("score")).intValue());
        } finally {
            dropIfExists(name);
        }
    }

    @Test
    void partialUpdateUpsertChangesOnlyTheGivenFields(Seed seed) {
        String name = uniqueName("partial");
        CreateCollectionReq.CollectionSchema schema = schemaWithId();
        schema.addField(AddFieldReq.builder().fieldName("title").dataType(DataType.VarChar).maxLength(64).build());
        schema.addField(AddFieldReq.builder().fieldName("views").dataType(DataType.Int64).build());
        schema.addField(AddFieldReq.builder().fieldName("vector").dataType(DataType.FloatVector).dimension(DIM).build());
        createStrongFlatCollection(name, schema);
        try {
            float[] vector = Vectors.randomFloats(seed.random(8), 1, DIM)[0];
            JsonObject row = new JsonObject();
            row.addProperty("id", 1);
            row.addProperty("title", "first");
            row.addProperty("views", 10);
            row.add("vector", jsonVector(vector));
            client.insert(InsertReq.builder().collectionName(name).data(List.of(row)).build());

            JsonObject patch = new JsonObject();
            patch.addProperty("id", 1);
            patch.addProperty("views", 11);
            client.upsert(UpsertReq.builder().collectionName(name).data(List.of(patch)).partialUpdate(true).build());

            List<QueryResp.QueryResult> got = query(name, "id == 1", List.of("title", "views", "vector"));
            assertEquals(1, got.size(), "a partial update replaces the row, it does not add one");
            Map<String, Object> entity = got.get(0).getEntity();
            assertEquals("first", entity.get("title"), "fields left out keep their stored values");
            assertEquals(11L, ((Number) entity.get("views")).longValue());
            assertEquals(Vectors.boxed(vector), entity.get("vector"));
        } finally {
            dropIfExists(name);
        }
    }

    private static long count(String collection, String filter) {
        List<QueryResp.QueryResult> r = client.query(QueryReq.builder().collectionName(collection).filter(filter)
                .outputFields(List.of("count(*)")).consistencyLevel(ConsistencyLevel.STRONG).build()).getQueryResults();
        return ((Number) r.get(0).getEntity().get("count(*)")).longValue();
    }

    private static List<QueryResp.QueryResult> query(String collection, String filter, List<String> fields) {
        return client.query(QueryReq.builder().collectionName(collection).filter(filter).outputFields(fields)
                .consistencyLevel(ConsistencyLevel.STRONG).build()).getQueryResults();
    }
}
