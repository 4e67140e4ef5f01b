package io.elanus.it;

import com.google.gson.JsonObject;
import io.elanus.testkit.Seed;
import io.elanus.testkit.Seeds;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.client.RetryConfig;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.common.DataType;
import io.milvus.v2.common.IndexParam;
import io.milvus.v2.exception.MilvusClientException;
import io.milvus.v2.service.collection.request.AddFieldReq;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.utility.response.CheckHealthResp;
import io.milvus.v2.service.vector.request.InsertReq;
import io.milvus.v2.service.vector.request.QueryReq;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

import static io.elanus.it.MilvusAssertions.awaitLoaded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Memory protection under a small heap (-Xmx384m, the whole server in one JVM): three writers of
 * 768-d batches ingest until the server refuses writes with Milvus's memory-quota error. The server
 * must never run out of memory, must keep answering reads while it refuses writes, and after a
 * SIGKILL must come back with the same heap and serve every acknowledged row.
 * The sample of ids checked after the restart is random (from the run's seed, which a failure names).
 */
@ExtendWith(Seeds.class)
class LowHeapIngestTest {
    private static final String HEAP = "-Xmx384m";
    static final int DIM = 768;
    static final int BATCH = 500;
    private static final int WRITERS = 3;
    /** 3 x 400 x 500 rows of 3 KB is about 1.8 GB: far beyond the heap, so refusals must come. */
    private static final int MAX_BATCHES_PER_WRITER = 400;
    static final long ID_SPACE = 100_000_000L;
    private static final int SAMPLE_IDS = 300;
    private static final String COLLECTION = "low_heap_ingest";
    private static final int QUOTA_EXCEEDED = 9;
    private static final String MEMORY_REASON = "memory quota exceeded, please allocate more resources";

    /** Batches acknowledged, as (writer, batch) pairs; refusals and unexpected failures as messages. */
    private final ConcurrentLinkedQueue<long[]> acked = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> refusals = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();

    @Test
    void ingestEndsInMemoryQuotaRefusalsAndEveryAcknowledgedRowSurvivesARestartWithTheSameHeap(Seed seed) throws Exception {
        List<Path> logs = new ArrayList<>();
        try (ElanusServerProcess server = ElanusServerProcess.start(List.of(HEAP))) {
            logs.add(server.logFile());
            MilvusClientV2 admin = client(server);
            createLoadedCollection(admin, COLLECTION);

            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(Thread.ofPlatform().name("lowheap-writer-" + w).start(() -> ingest(server, writer)));
            }
            for (Thread t : writers) {
                t.join(600_000);
                assertFalse(t.isAlive(), t.getName() + " did not finish within 10 minutes");
            }
            assertTrue(unexpected.isEmpty(), "writes failed other than by the memory quota: " + unexpected);
            assertFalse(refusals.isEmpty(), "no write was refused after " + ackedRows() + " rows; the heap is " + HEAP);
            for (String r : refusals) {
                assertTrue(r.contains(MEMORY_REASON), "refusal without Milvus's memory-quota reason: " + r);
            }
            assertTrue(server.isAlive(), "the server died during ingest (log " + server.logFile() + ")");
            System.out.println("LowHeapIngestTest: " + ackedRows() + " rows acknowledged with " + HEAP + ", "
                    + refusals.size() + " writer(s) refused");

            // Reads go on while writes are refused, and the server stays healthy as Milvus does.
            assertEquals(ackedRows(), count(admin, COLLECTION), "count(*) while writes are refused");
            CheckHealthResp health = admin.checkHealth();
            assertTrue(health.getIsHealthy(), "CheckHealth while writes are refused: " + health);
            admin.close();

            server.kill9();
            server.restart();
            logs.add(server.logFile());
            MilvusClientV2 reader = client(server);
            awaitLoaded(reader, COLLECTION);
            assertEquals(ackedRows(), count(reader, COLLECTION), "count(*) after a restart with the same heap");
            assertSampleServed(reader, seed.random(0));
            reader.close();
            assertTrue(server.isAlive(), "the server died after the restart (log " + server.logFile() + ")");
        } finally {
            for (Path log : logs) {
                assertNoOutOfMemory(log);
            }
        }
    }

    /** Int64 primary key "id" and a 768-d float "vector" with a FLAT index, Strong consistency, loaded. */
    static void createLoadedCollection(MilvusClientV2 client, String collection) {
        CreateCollectionReq.CollectionSchema schema = CreateCollectionReq.CollectionSchema.builder().build();
        schema.addField(AddFieldReq.builder().fieldName("id").dataType(DataType.Int64).isPrimaryKey(true).build());
        schema.addField(AddFieldReq.builder().fieldName("vector").dataType(DataType.FloatVector).dimension(DIM).build());
        client.createCollection(CreateCollectionReq.builder().collectionName(collection).collectionSchema(schema)
                .consistencyLevel(ConsistencyLevel.STRONG)
                .indexParams(List.of(IndexParam.builder().fieldName("vector").indexType(IndexParam.IndexType.FLAT)
                        .metricType(IndexParam.MetricType.L2).build())).build());
        awaitLoaded(client, collection);
    }

    private void ingest(ElanusServerProcess server, int writer) {
        MilvusClientV2 client = client(server);
        try {
            Random random = Seeds.current().random(writer);
            for (int batch = 0; batch < MAX_BATCHES_PER_WRITER; batch++) {
                try {
                    client.insert(InsertReq.builder().collectionName(COLLECTION).data(rows(writer, batch, random)).build());
                } catch (MilvusClientException e) {
                    if (e.getServerErrCode() == QUOTA_EXCEEDED) {
                        refusals.add(e.getMessage());
                    } else {
                        unexpected.add("writer " + writer + " batch " + batch + ": code " + e.getServerErrCode() + " " + e.getMessage());
                    }
                    return;
                }
                acked.add(new long[] {writer, batch});
            }
        } finally {
            client.close();
        }
    }

    static List<JsonObject> rows(int writer, int batch, Random random) {
        List<JsonObject> rows = new ArrayList<>(BATCH);
        long first = writer * ID_SPACE + (long) batch * BATCH;
        for (int j = 0; j < BATCH; j++) {
            float[] vector = new float[DIM];
            for (int d = 0; d < DIM; d++) {
                vector[d] = random.nextFloat();
            }
            JsonObject row = new JsonObject();
            row.addProperty("id", first + j);
            row.add("vector", SharedServerTestBase.jsonVector(vector));
            rows.add(row);
        }
        return rows;
    }

    private long ackedRows() {
        return (long) acked.size() * BATCH;
    }

    static long count(MilvusClientV2 client, String collection) {
        return (Long) client.query(QueryReq.builder().collectionName(collection).filter("")
                        .outputFields(List.of("count(*)")).consistencyLevel(ConsistencyLevel.STRONG).build())
                .getQueryResults().get(0).getEntity().get("count(*)");
    }

    /** A random sample of acknowledged ids must all be found by a Strong query. */
    private void assertSampleServed(MilvusClientV2 client, Random random) {
        List<long[]> batches = new ArrayList<>(acked);
        List<Long> sample = new ArrayList<>();
        for (int i = 0; i < SAMPLE_IDS && !batches.isEmpty(); i++) {
            long[] b = batches.get(random.nextInt(batches.size()));
            sample.add(b[0] * ID_SPACE + b[1] * BATCH + random.nextInt(BATCH));
        }
        List<Long> distinct = sample.stream().distinct().sorted().toList();
        String filter = "id in [" + distinct.stream().map(String::valueOf).collect(Collectors.joining(",")) + "]";
        List<Long> found = new ArrayList<>(client.query(QueryReq.builder().collectionName(COLLECTION).filter(filter)
                        .outputFields(List.of("id")).consistencyLevel(ConsistencyLevel.STRONG).build())
                .getQueryResults().stream().map(r -> (Long) r.getEntity().get("id")).toList());
        Collections.sort(found);
        assertEquals(distinct, found, "acknowledged ids served after the restart");
    }

    static void assertNoOutOfMemory(Path log) throws IOException {
        if (log == null || !Files.exists(log)) {
            return;
        }
        try (var lines = Files.lines(log)) {
            lines.filter(l -> l.contains("OutOfMemoryError")).findFirst()
                    .ifPresent(l -> fail("the server ran out of memory (log " + log + "): " + l));
        }
    }

    static MilvusClientV2 client(ElanusServerProcess server) {
        MilvusClientV2 client = new MilvusClientV2(ConnectConfig.builder().uri(server.uri()).rpcDeadlineMs(120_000).build());
        // No client-side retries: a batch either got its acknowledgement or it did not.
        client.retryConfig(RetryConfig.builder().maxRetryTimes(1).build());
        return client;
    }
}
