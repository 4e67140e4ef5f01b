package io.elanus.it;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.common.DataType;
import io.milvus.v2.common.IndexParam;
import io.milvus.v2.service.collection.request.AddFieldReq;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.collection.request.DropCollectionReq;
import io.milvus.v2.service.collection.request.HasCollectionReq;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Base of the test classes that talk to the shared server through a MilvusClientV2. */
@ExtendWith(SharedServerExtension.class)
public abstract class SharedServerTestBase {

    private static final AtomicInteger NAME_COUNTER = new AtomicInteger();

    protected static ElanusServerProcess server;
    protected static MilvusClientV2 client;

    @BeforeAll
    static void connectClient() {
        server = SharedServerExtension.server();
        client = newClient(server);
    }

    @AfterAll
    static void closeClient() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    static MilvusClientV2 newClient(ElanusServerProcess target) {
        return new MilvusClientV2(ConnectConfig.builder().uri(target.uri()).rpcDeadlineMs(60_000).build());
    }

    /** Collection names unique within the shared server, readable in its log. */
    protected static String uniqueName(String prefix) {
        return prefix + "_" + NAME_COUNTER.incrementAndGet() + "_" + (System.nanoTime() % 100_000);
    }

    protected static void dropIfExists(String collection) {
        if (client == null || collection == null) {
            return;
        }
        if (client.hasCollection(HasCollectionReq.builder().collectionName(collection).build())) {
            client.dropCollection(DropCollectionReq.builder().collectionName(collection).build());
        }
    }

    protected static JsonArray jsonVector(float[] vector) {
        JsonArray array = new JsonArray(vector.length);
        for (float v : vector) {
            array.add(v);
        }
        return array;
    }

    /** Creates a Strong-consistency collection with a FLAT L2 index on its field "vector" (loaded on creation). */
    protected static void createStrongFlatCollection(String name, CreateCollectionReq.CollectionSchema schema) {
        client.createCollection(CreateCollectionReq.builder().collectionName(name).collectionSchema(schema)
                .consistencyLevel(ConsistencyLevel.STRONG)
                .indexParams(List.of(IndexParam.builder().fieldName("vector").indexType(IndexParam.IndexType.FLAT)
                        .metricType(IndexParam.MetricType.L2).build())).build());
    }

    /** A schema whose Int64 primary key is "id", to which callers add their fields. */
    protected static CreateCollectionReq.CollectionSchema schemaWithId() {
        CreateCollectionReq.CollectionSchema schema = CreateCollectionReq.CollectionSchema.builder().build();
        schema.addField(AddFieldReq.builder().fieldName("id").dataType(DataType.Int64).isPrimaryKey(true).build());
        return schema;
    }

    /** A row for the quick-setup layout: {@code id}, {@code vector}, plus whatever dynamic keys the caller adds. */
    protected static JsonObject quickRow(long id, float[] vector) {
        JsonObject row = new JsonObject();
        row.addProperty("id", id);
        row.add("vector", jsonVector(vector));
        return row;
    }
}
