package io.elanus.it;

import com.google.gson.JsonObject;
import io.elanus.testkit.Seed;
import io.elanus.testkit.Seeds;
import io.milvus.v2.common.DataType;
import io.milvus.v2.service.collection.request.AddFieldReq;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.utility.request.FlushReq;
import io.milvus.v2.service.vector.request.InsertReq;
import io.milvus.v2.service.vector.request.QueryReq;
import io.milvus.v2.service.vector.request.UpsertReq;
import io.milvus.v2.service.vector.response.InsertResp;
import io.milvus.v2.service.vector.response.QueryResp;
import io.milvus.v2.service.vector.response.UpsertResp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static io.elanus.it.MilvusAssertions.awaitLoaded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The write langchain-milvus makes: its collections declare the {@code text} field before an autoID
 * primary key, and {@code Milvus.upsert} sends rows that carry their own key. Such an upsert used to
 * be acknowledged and then wedge the collection's data node (it merged the buffered inserts of a
 * segment by field position, and the insert and the upsert listed their fields in different
 * orders), so flush never returned. It must flush and read back like any other write.
 */
@ExtendWith(Seeds.class)
class FieldOrderUpsertTest extends SharedServerTestBase {
    private static final int DIM = 8;
    private String collection;

    @AfterEach
    void drop() {
        dropIfExists(collection);
    }

    @Test
    void upsertWithOwnKeyIntoAutoIdCollectionWithTextBeforeKeyFlushesAndReadsBack(Seed seed) {
        collection = uniqueName("langchain_style");
        CreateCollectionReq.CollectionSchema schema = CreateCollectionReq.CollectionSchema.builder().build();
        schema.addField(AddFieldReq.builder().fieldName("text").dataType(DataType.VarChar).maxLength(1000).build());
        schema.addField(AddFieldReq.builder().fieldName("pk").dataType(DataType.Int64).isPrimaryKey(true).autoID(true).build());
        schema.addField(AddFieldReq.builder().fieldName("vector").dataType(DataType.FloatVector).dimension(DIM).build());
        createStrongFlatCollection(collection, schema);
        awaitLoaded(client, collection);

        Random random = seed.random(7);
        List<JsonObject> docs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            docs.add(doc("doc " + i, random));
        }
        InsertResp inserted = client.insert(InsertReq.builder().collectionName(collection).data(docs).build());
        List<Object> ids = inserted.getPrimaryKeys();
        assertEquals(3, ids.size());

        JsonObject replacement = doc("doc 0, revised", random);
        replacement.addProperty("pk", (Long) ids.get(0));
        UpsertResp upserted = client.upsert(UpsertReq.builder().collectionName(collection).data(List.of(replacement)).build());
        assertEquals(1, upserted.getUpsertCnt());
        Object revisedId = upserted.getPrimaryKeys().get(0);

        Map<Object, String> expected = new TreeMap<>();
        expected.put(revisedId, "doc 0, revised");
        expected.put(ids.get(1), "doc 1");
        expected.put(ids.get(2), "doc 2");

        assertEquals(expected, texts());
        assertTimeoutPreemptively(Duration.ofSeconds(120),
                () -> client.flush(FlushReq.builder().collectionNames(List.of(collection)).build()),
                "flush of the upserted row must complete");
        assertEquals(expected, texts());
    }

    private static JsonObject doc(String text, Random random) {
        JsonObject row = new JsonObject();
        row.addProperty("text", text);
        row.add("vector", jsonVector(Vectors.randomFloats(random, 1, DIM)[0]));
        return row;
    }

    private Map<Object, String> texts() {
        QueryResp resp = client.query(QueryReq.builder().collectionName(collection).filter("pk >= 0")
                .outputFields(List.of("pk", "text")).build());
        Map<Object, String> out = new TreeMap<>();
        for (QueryResp.QueryResult r : resp.getQueryResults()) {
            out.put(r.getEntity().get("pk"), (String) r.getEntity().get("text"));
        }
        return out;
    }
}
