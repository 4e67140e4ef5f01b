package io.elanus.it;

import com.google.gson.JsonObject;
import io.elanus.testkit.Seeds;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.client.RetryConfig;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.collection.request.LoadCollectionReq;
import io.milvus.v2.service.utility.request.FlushReq;
import io.milvus.v2.service.vector.request.InsertReq;
import io.milvus.v2.service.vector.request.QueryReq;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.elanus.it.MilvusAssertions.awaitLoaded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Durability under SIGKILL: every insert the server acknowledged must be present exactly once after a restart,
 * across two crashes, with a flush in between so that recovery reads both sealed segments and the WAL.
 */
@ExtendWith(Seeds.class)
class CrashRecoveryTest {

    private static final int DIM = 8;
    private static final int WRITERS = 3;
    private static final int BATCH = 100;
    /** Ids of writer w are w * ID_SPACE + batch * BATCH + j, so writers never collide. */
    private static final long ID_SPACE = 100_000_000L;
    private static final int QUERY_WINDOW = 5_000;
    /** Bounds the verification work if the server ingests very fast; a writer at the cap idles until the kill. */
    private static final int MAX_BATCHES_PER_ROUND = 1_000;
    private static final String COLLECTION = "crash_ingest";

    /** What each writer sent and what the server acknowledged, by batch number. */
    private static final class Ledger {
        private final int[] issuedBatches = new int[WRITERS];
        private final BitSet[] acked = new BitSet[WRITERS];

        Ledger() {
            for (int w = 0; w < WRITERS; w++) {
                acked[w] = new BitSet();
            }
        }

        synchronized int issue(int writer) {
            return issuedBatches[writer]++;
        }

        synchronized void acknowledge(int writer, int batch) {
            acked[writer].set(batch);
        }

        synchronized int issued(int writer) {
            return issuedBatches[writer];
        }

        synchronized boolean isAcked(int writer, int batch) {
            return acked[writer].get(batch);
        }

        synchronized int ackedRows() {
            int rows = 0;
            for (BitSet set : acked) {
                rows += set.cardinality() * BATCH;
            }
            return rows;
        }
    }

    @Test
    void acknowledgedInsertsSurviveTwoKillNineCrashesExactlyOnce() throws Exception {
        try (ElanusServerProcess server = ElanusServerProcess.start()) {
            MilvusClientV2 admin = client(server, 60_000);
            admin.createCollection(CreateCollectionReq.builder().collectionName(COLLECTION).dimension(DIM)
                    .consistencyLevel(ConsistencyLevel.STRONG).build());
            awaitLoaded(admin, COLLECTION);
            admin.close();
            Ledger ledger = new Ledger();

            ingestUntilKilled(server, ledger, false);
            server.restart();
            verify(server, ledger, "after the first crash");

            MilvusClientV2 flusher = client(server, 60_000);
            flusher.flush(FlushReq.builder().collectionNames(List.of(COLLECTION)).build());
            flusher.close();

            ingestUntilKilled(server, ledger, true);
            server.restart();
            verify(server, ledger, "after the second crash");
        }
    }

    private static MilvusClientV2 client(ElanusServerProcess server, long deadlineMs) {
        MilvusClientV2 client = new MilvusClientV2(ConnectConfig.builder().uri(server.uri()).rpcDeadlineMs(deadlineMs).build());
        // No client-side retries: a batch either got its acknowledgement or it did not.
        client.retryConfig(RetryConfig.builder().maxRetryTimes(1).build());
        return client;
    }

    private static void ingestUntilKilled(ElanusServerProcess server, Ledger ledger, boolean flushWhileIngesting)
            throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            MilvusClientV2 writerClient = client(server, 10_000);
            int writer = w;
            threads.add(Thread.ofPlatform().name("crash-writer-" + w).start(() -> writeBatches(writerClient, ledger, writer, stop)));
        }
        if (flushWhileIngesting) {
            MilvusClientV2 flushClient = client(server, 10_000);
            threads.add(Thread.ofPlatform().name("crash-flusher").start(() -> {
                MilvusAssertions.sleep(1_000);
                try {
                    // Bounded wait: if the kill lands before the flush completes, the SDK would otherwise poll on.
                    flushClient.flush(FlushReq.builder().collectionNames(List.of(COLLECTION)).waitFlushedTimeoutMs(20_000L).build());
                } catch (RuntimeException killedMidFlush) {
                    // the kill may land during the flush; durability is checked on the data, not on this call
                } finally {
                    flushClient.close();
                }
            }));
        }
        long killAfterMillis = 2_000 + Seeds.current().random(flushWhileIngesting ? 1 : 0).nextInt(3_001);
        Thread.sleep(killAfterMillis);
        server.kill9();
        stop.set(true);
        for (Thread thread : threads) {
            thread.join(60_000);
            assertTrue(!thread.isAlive(), thread.getName() + " did not stop after the kill");
        }
        assertTrue(ledger.ackedRows() > 0, "no batch was acknowledged in " + killAfterMillis + " ms");
    }

    private static void writeBatches(MilvusClientV2 client, Ledger ledger, int writer, AtomicBoolean stop) {
        try {
            for (int sent = 0; !stop.get() && sent < MAX_BATCHES_PER_ROUND; sent++) {
                int batch = ledger.issue(writer);
                try {
                    client.insert(InsertReq.builder().collectionName(COLLECTION).data(rows(writer, batch)).build());
                } catch (RuntimeException unacknowledged) {
                    return;
                }
                ledger.acknowledge(writer, batch);
            }
        } finally {
            client.close();
        }
    }

    private static List<JsonObject> rows(int writer, int batch) {
        List<JsonObject> rows = new ArrayList<>(BATCH);
        long first = writer * ID_SPACE + (long) batch * BATCH;
        Random random = Seeds.current().random(first);
        for (int j = 0; j < BATCH; j++) {
            JsonObject row = new JsonObject();
            row.addProperty("id", first + j);
            float[] vector = new float[DIM];
            for (int d = 0; d < DIM; d++) {
                vector[d] = random.nextFloat();
            }
            row.add("vector", SharedServerTestBase.jsonVector(vector));
            rows.add(row);
        }
        return rows;
    }

    private static void verify(ElanusServerProcess server, Ledger ledger, String when) {
        MilvusClientV2 client = client(server, 120_000);
        try {
            // A loaded collection comes back loaded: Loading while its segments are read again (as in Milvus), then Loaded.
            awaitLoaded(client, COLLECTION);
            client.loadCollection(LoadCollectionReq.builder().collectionName(COLLECTION).build());

            long distinctPresent = 0;
            for (int w = 0; w < WRITERS; w++) {
                long start = w * ID_SPACE;
                long end = start + (long) ledger.issued(w) * BATCH;
                for (long lo = start; lo < end; lo += QUERY_WINDOW) {
                    long hi = Math.min(end, lo + QUERY_WINDOW);
                    List<Long> ids = client.query(QueryReq.builder().collectionName(COLLECTION)
                                    .filter("id >= " + lo + " and id < " + hi).outputFields(List.of("id")).limit(16_384)
                                    .consistencyLevel(ConsistencyLevel.STRONG).build())
                            .getQueryResults().stream().map(r -> (Long) r.getEntity().get("id")).toList();
                    Set<Long> distinct = new HashSet<>(ids);
                    assertEquals(distinct.size(), ids.size(), when + ": duplicate rows for ids in [" + lo + ", " + hi + ")");
                    distinctPresent += distinct.size();
                    for (long id = lo; id < hi; id++) {
                        int batch = (int) ((id - start) / BATCH);
                        if (ledger.isAcked(w, batch) && !distinct.contains(id)) {
                            fail(when + ": acknowledged id " + id + " (writer " + w + ", batch " + batch + ") is missing");
                        }
                    }
                }
            }
            long counted = (Long) client.query(QueryReq.builder().collectionName(COLLECTION).filter("")
                            .outputFields(List.of("count(*)")).consistencyLevel(ConsistencyLevel.STRONG).build())
                    .getQueryResults().get(0).getEntity().get("count(*)");
            assertEquals(distinctPresent, counted, when + ": count(*) must equal the distinct ids present");
            assertTrue(counted >= ledger.ackedRows(), when + ": fewer rows than acknowledged");
        } finally {
            client.close();
        }
    }
}
