package io.elanus.it;

import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.elanus.testkit.Seed;
import io.elanus.testkit.Seeds;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.utility.request.FlushReq;
import io.milvus.v2.service.vector.request.DeleteReq;
import io.milvus.v2.service.vector.request.GetReq;
import io.milvus.v2.service.vector.request.InsertReq;
import io.milvus.v2.service.vector.request.QueryReq;
import io.milvus.v2.service.vector.request.UpsertReq;
import io.milvus.v2.service.vector.response.QueryResp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static io.elanus.it.MilvusAssertions.awaitLoaded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Every write the server acknowledges gets applied, whatever the schema. Random schemas ({@link
 * RandomSchema}: field order, autoID, nullable fields and default values, dynamic field, partition
 * key, every scalar and vector type) get random inserts, upserts, partial upserts and deletes through
 * the Java SDK against a server in a child process; the collections are flushed (every flush must
 * complete), written to some more, read back, the server restarted and read back again. Each time
 * the rows must equal an in-memory model of what was written.
 *
 * <p>Schemas and writes follow the run's seed, which a failure names ({@code -Delanus.seed=N} replays it);
 * {@code -Delanus.propertyCollections=N} tries more schemas per run.
 */
@ExtendWith(Seeds.class)
class RandomSchemaPropertyTest {
    private static final int COLLECTIONS = Integer.getInteger("elanus.propertyCollections", 5);
    private static final int OPS_PER_PHASE = 12;
    private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(120);

    /** One collection under test and the model of its rows: primary key (canonical) to expected fields. */
    private static final class Subject {
        final String name;
        final RandomSchema schema;
        final Map<String, Map<String, String>> rows = new TreeMap<>();
        final Map<String, JsonPrimitive> keys = new LinkedHashMap<>();
        final Set<String> everSeen = new HashSet<>();

        Subject(String name, RandomSchema schema) {
            this.name = name;
            this.schema = schema;
        }

        void put(JsonPrimitive key, Map<String, String> row) {
            String k = key.toString();
            rows.put(k, row);
            keys.put(k, key);
            everSeen.add(k);
        }
    }

    @Test
    void randomWritesToRandomSchemasReadBackAsWrittenAcrossFlushAndRestart(Seed seed) {
        Random random = seed.random(1);
        try (ElanusServerProcess server = ElanusServerProcess.start()) {
            MilvusClientV2 client = SharedServerTestBase.newClient(server);
            List<Subject> subjects = new ArrayList<>();
            try {
                for (int i = 0; i < COLLECTIONS; i++) {
                    Subject s = new Subject("prop_" + i, RandomSchema.generate(random));
                    client.createCollection(CreateCollectionReq.builder().collectionName(s.name)
                            .collectionSchema(s.schema.toSdkSchema()).indexParams(s.schema.indexes())
                            .consistencyLevel(ConsistencyLevel.STRONG).build());
                    awaitLoaded(client, s.name);
                    subjects.add(s);
                }
                long[] nextKey = {1};
                for (Subject s : subjects) {
                    runOps(client, s, random, nextKey);
                    flush(client, s);
                    runOps(client, s, random, nextKey);
                    verify(client, s, "before restart (flushed and growing rows)");
                }
            } finally {
                client.close();
            }
            server.restart();
            client = SharedServerTestBase.newClient(server);
            try {
                for (Subject s : subjects) {
                    awaitLoaded(client, s.name);
                    verify(client, s, "after a restart (unflushed rows replayed from the WAL)");
                    flush(client, s);
                    verify(client, s, "after the final flush");
                }
            } finally {
                client.close();
            }
        }
    }

    private static void runOps(MilvusClientV2 client, Subject s, Random r, long[] nextKey) {
        for (int op = 0; op < OPS_PER_PHASE; op++) {
            int kind = s.rows.isEmpty() ? 0 : r.nextInt(4);
            switch (kind) {
                case 0 -> insert(client, s, r, nextKey);
                case 1 -> upsert(client, s, r, nextKey);
                case 2 -> partialUpsert(client, s, r, nextKey);
                default -> delete(client, s, r);
            }
        }
    }

    private static void insert(MilvusClientV2 client, Subject s, Random r, long[] nextKey) {
        int n = 1 + r.nextInt(6);
        boolean auto = s.schema.pk.autoId();
        List<JsonObject> rows = new ArrayList<>();
        List<JsonPrimitive> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            JsonPrimitive key = auto ? null : s.schema.key(nextKey[0]++);
            rows.add(s.schema.row(key, r));
            keys.add(key);
        }
        List<Object> ids = client.insert(InsertReq.builder().collectionName(s.name).data(rows).build()).getPrimaryKeys();
        assertEquals(n, ids.size(), context(s, "insert"));
        for (int i = 0; i < n; i++) {
            JsonPrimitive key = auto ? primitive(ids.get(i)) : keys.get(i);
            s.put(key, s.schema.expected(rows.get(i), key));
        }
    }

    /** A mix of stored and new keys; a new row of an autoID collection keeps the key it was sent with. */
    private static void upsert(MilvusClientV2 client, Subject s, Random r, long[] nextKey) {
        List<JsonPrimitive> keys = pickStored(s, r);
        int fresh = r.nextInt(3);
        for (int i = 0; i < fresh; i++) {
            keys.add(s.schema.key(nextKey[0]++));
        }
        List<JsonObject> rows = new ArrayList<>();
        for (JsonPrimitive key : keys) {
            rows.add(s.schema.row(key, r));
        }
        client.upsert(UpsertReq.builder().collectionName(s.name).data(rows).build());
        for (int i = 0; i < keys.size(); i++) {
            s.put(keys.get(i), s.schema.expected(rows.get(i), keys.get(i)));
        }
    }

    /** Stored rows, sometimes with new ones (which take defaults or null for what they are not sent). */
    private static void partialUpsert(MilvusClientV2 client, Subject s, Random r, long[] nextKey) {
        List<JsonPrimitive> keys = pickStored(s, r);
        int fresh = r.nextInt(3) == 0 ? 1 + r.nextInt(2) : 0;
        for (int i = 0; i < fresh; i++) {
            keys.add(s.schema.key(nextKey[0]++));
        }
        List<RandomSchema.Field> subset = s.schema.partialSubset(r, fresh > 0);
        List<JsonObject> rows = new ArrayList<>();
        for (JsonPrimitive key : keys) {
            rows.add(s.schema.partialRow(key, subset, s.rows.getOrDefault(key.toString(), Map.of()), r));
        }
        client.upsert(UpsertReq.builder().collectionName(s.name).data(rows).partialUpdate(true).build());
        for (int i = 0; i < keys.size(); i++) {
            String k = keys.get(i).toString();
            Map<String, String> stored = s.rows.get(k);
            s.put(keys.get(i), stored == null ? s.schema.expected(rows.get(i), keys.get(i)) : s.schema.merged(stored, rows.get(i)));
        }
    }

    private static void delete(MilvusClientV2 client, Subject s, Random r) {
        List<JsonPrimitive> keys = pickStored(s, r);
        List<Object> ids = new ArrayList<>();
        keys.forEach(k -> ids.add(javaKey(k)));
        ids.add(javaKey(s.schema.key(Long.MAX_VALUE / 2))); // a key that was never written
        client.delete(DeleteReq.builder().collectionName(s.name).ids(ids).build());
        keys.forEach(k -> s.rows.remove(k.toString()));
    }

    private static List<JsonPrimitive> pickStored(Subject s, Random r) {
        List<String> stored = new ArrayList<>(s.rows.keySet());
        java.util.Collections.shuffle(stored, r);
        List<JsonPrimitive> out = new ArrayList<>();
        for (String k : stored.subList(0, Math.min(stored.size(), 1 + r.nextInt(4)))) {
            out.add(s.keys.get(k));
        }
        return out;
    }

    private static void flush(MilvusClientV2 client, Subject s) {
        assertTimeoutPreemptively(FLUSH_TIMEOUT,
                () -> client.flush(FlushReq.builder().collectionNames(List.of(s.name)).build()),
                context(s, "every acknowledged write is flushable: flush"));
    }

    private static void verify(MilvusClientV2 client, Subject s, String when) {
        List<Object> ids = new ArrayList<>();
        s.everSeen.forEach(k -> ids.add(javaKey(s.keys.get(k))));
        Map<String, Map<String, String>> actual = new TreeMap<>();
        if (!ids.isEmpty()) {
            for (QueryResp.QueryResult row : client.get(GetReq.builder().collectionName(s.name).ids(ids)
                    .outputFields(List.of("*")).build()).getGetResults()) {
                Map<String, String> fields = s.schema.actual(row.getEntity());
                actual.put(primitive(row.getEntity().get(s.schema.pk.name())).toString(), fields);
            }
        }
        assertEquals(s.rows, actual, context(s, "rows " + when));
        QueryResp count = client.query(QueryReq.builder().collectionName(s.name).filter("")
                .outputFields(List.of("count(*)")).build());
        assertEquals((long) s.rows.size(), ((Number) count.getQueryResults().get(0).getEntity().get("count(*)")).longValue(),
                context(s, "count(*) " + when));
    }

    private static JsonPrimitive primitive(Object id) {
        return id instanceof Number n ? new JsonPrimitive(n.longValue()) : new JsonPrimitive(id.toString());
    }

    private static Object javaKey(JsonPrimitive key) {
        return key.isNumber() ? (Object) key.getAsLong() : key.getAsString();
    }

    private static String context(Subject s, String what) {
        return what + " of " + s.name + " " + s.schema;
    }
}
