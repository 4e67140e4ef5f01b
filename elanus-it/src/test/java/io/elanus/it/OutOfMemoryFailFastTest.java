package io.elanus.it;

import io.elanus.testkit.Seeds;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.service.vector.request.InsertReq;
import io.milvus.v2.service.vector.request.QueryReq;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static io.elanus.it.MilvusAssertions.awaitLoaded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fail fast: with memory protection switched off ({@code QUOTAANDLIMITS_ENABLED=false}), ingest into
 * a 256 MB heap must end the server process with the JVM's out-of-memory exit status, not leave it
 * running half dead; a restart with a large enough heap then serves every acknowledged row.
 */
@ExtendWith(Seeds.class)
class OutOfMemoryFailFastTest {
    private static final String COLLECTION = "oom_fail_fast";
    private static final int WRITERS = 3;
    private static final int MAX_BATCHES_PER_WRITER = 400;
    /** The status of a JVM ended by -XX:+ExitOnOutOfMemoryError (and of FailFast.halt). */
    private static final int OUT_OF_MEMORY_EXIT = 3;

    private final ConcurrentLinkedQueue<long[]> acked = new ConcurrentLinkedQueue<>();

    @Test
    void runningOutOfMemoryEndsTheProcessAndARestartServesEveryAcknowledgedRow() throws Exception {
        try (ElanusServerProcess server = ElanusServerProcess.start(List.of("-Xmx256m"), Map.of("QUOTAANDLIMITS_ENABLED", "false"))) {
            MilvusClientV2 admin = LowHeapIngestTest.client(server);
            LowHeapIngestTest.createLoadedCollection(admin, COLLECTION);
            admin.close();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(Thread.ofPlatform().name("oom-writer-" + w).start(() -> ingest(server, writer)));
            }
            for (Thread t : writers) {
                t.join(600_000);
                assertFalse(t.isAlive(), t.getName() + " did not finish within 10 minutes");
            }
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (server.isAlive() && System.nanoTime() < deadline) {
                MilvusAssertions.sleep(200);
            }
            assertFalse(server.isAlive(), "the server is still running after " + acked.size() * LowHeapIngestTest.BATCH
                    + " rows in a 256 MB heap without memory protection (log " + server.logFile() + ")");
            assertEquals(OUT_OF_MEMORY_EXIT, server.exitStatus(), "exit status (log " + server.logFile() + ")");
            assertTrue(Files.readString(server.logFile()).contains("OutOfMemoryError"),
                    "the log names the OutOfMemoryError (" + server.logFile() + ")");
            assertFalse(acked.isEmpty(), "no batch was acknowledged before the server ran out of memory");

            server.restart(List.of(ElanusServerProcess.DEFAULT_HEAP));
            MilvusClientV2 reader = LowHeapIngestTest.client(server);
            awaitLoaded(reader, COLLECTION);
            for (long[] batch : acked) {
                long first = batch[0] * LowHeapIngestTest.ID_SPACE + batch[1] * LowHeapIngestTest.BATCH;
                String ids = LongStream.range(first, first + LowHeapIngestTest.BATCH).mapToObj(String::valueOf)
                        .collect(Collectors.joining(","));
                long found = reader.query(QueryReq.builder().collectionName(COLLECTION).filter("id in [" + ids + "]")
                        .outputFields(List.of("id")).consistencyLevel(ConsistencyLevel.STRONG).build()).getQueryResults().size();
                assertEquals(LowHeapIngestTest.BATCH, found, "rows of acknowledged batch " + batch[1] + " of writer " + batch[0]);
            }
            assertTrue(LowHeapIngestTest.count(reader, COLLECTION) >= (long) acked.size() * LowHeapIngestTest.BATCH);
            reader.close();
        }
    }

    private void ingest(ElanusServerProcess server, int writer) {
        MilvusClientV2 client = LowHeapIngestTest.client(server);
        try {
            Random random = Seeds.current().random(writer);
            for (int batch = 0; batch < MAX_BATCHES_PER_WRITER; batch++) {
                try {
                    client.insert(InsertReq.builder().collectionName(COLLECTION)
                            .data(LowHeapIngestTest.rows(writer, batch, random)).build());
                } catch (RuntimeException serverGone) {
                    return;
                }
                acked.add(new long[] {writer, batch});
            }
        } finally {
            client.close();
        }
    }
}
