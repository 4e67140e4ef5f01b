package io.elanus.it;

import com.google.gson.JsonObject;
import io.elanus.testkit.Seeds;
import io.milvus.client.MilvusServiceClient;
import io.milvus.grpc.FlushResponse;
import io.milvus.grpc.GetFlushStateResponse;
import io.milvus.param.ConnectParam;
import io.milvus.param.R;
import io.milvus.param.collection.FlushParam;
import io.milvus.param.control.GetFlushStateParam;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.client.RetryConfig;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.exception.MilvusClientException;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.vector.request.InsertReq;
import io.milvus.v2.service.vector.request.QueryReq;
import io.milvus.v2.service.vector.response.QueryResp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import static io.elanus.it.MilvusAssertions.awaitLoaded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Resource faults of the data directory, on a real server process: a full disk, a file system the
 * kernel turned read-only, and a data directory deleted while the server runs. Each write must be
 * refused with a Milvus error naming the cause, {@code /healthz} must say unhealthy while the fault
 * lasts, reads of data already held must go on, and every acknowledged row must be kept (after a
 * full disk, writes resume by themselves once space is freed).
 */
@ExtendWith(Seeds.class)
class DataDirFaultsTest {

    private static final int DIM = 8;
    /** Big enough (~40 KB in the WAL) that an insert cannot fit in the slack of partly used pages. */
    private static final int BATCH = 1_000;
    private static final String COLLECTION = "data_dir_faults";
    private static final int DISK_LIMIT_EXCEEDED = 7;
    private static final int IO_FAILED = 1001;
    /** Bounds the polling loops; generous for a loaded 2-core CI machine. */
    private static final long PATIENCE_MS = 120_000;

    @Test
    void diskFullRefusesWritesClearlyKeepsReadsAndRecoversOnceSpaceIsFreed() throws Exception {
        Optional<ScratchMount> mount = ScratchMount.tmpfs(96L << 20);
        assumeTrue(mount.isPresent(), "needs root to mount a tmpfs; EmbeddedWalFaultTest and EmbeddedMetaKvFaultTest cover the recovery");
        try (ScratchMount disk = mount.get(); ElanusServerProcess server = ElanusServerProcess.startIn(disk.dir());
             Connection connection = new Connection(server)) {
            MilvusClientV2 client = connection.client;
            Set<Long> acked = new HashSet<>();
            createCollection(client);
            insert(client, 0, acked);
            assertEquals(acked, ids(client, ConsistencyLevel.STRONG));

            disk.fill();
            MilvusClientException refused = insertUntilRefused(client, acked);
            assertEquals(DISK_LIMIT_EXCEEDED, refused.getServerErrCode(), refused::getMessage);
            assertTrue(refused.getMessage().contains("no space left"), refused::getMessage);
            assertTrue(awaitHealth(server, false).contains("no space left"));

            assertTrue(ids(client, ConsistencyLevel.EVENTUALLY).containsAll(idsOfBatch(0)),
                    "rows held before the disk filled are still answered");
            assertStrongReadAnswersOrFailsWith(client, acked, DISK_LIMIT_EXCEEDED);
            // DDL answers too: its small metadata write may still fit, or it fails with the disk error; it never hangs.
            try {
                client.createCollection(CreateCollectionReq.builder().collectionName("created_while_full").dimension(DIM).build());
            } catch (MilvusClientException e) {
                assertEquals(DISK_LIMIT_EXCEEDED, e.getServerErrCode(), e::getMessage);
            }

            // A flush that cannot write its segment fails naming the cause instead of never saying done.
            R<?> flushFailed = flushUntilFailed(server);
            assertTrue(flushFailed.getMessage().contains("no space left"), flushFailed::getMessage);

            disk.free();
            insertUntilAccepted(client, acked);
            awaitHealth(server, true);
            assertEquals(acked, ids(client, ConsistencyLevel.STRONG), "every acknowledged row, once");

            server.restart();
            try (Connection again = new Connection(server)) {
                // Loaded collections come back in the background after a restart (as in Milvus).
                awaitLoaded(again.client, COLLECTION);
                assertEquals(acked, ids(again.client, ConsistencyLevel.STRONG), "every acknowledged row after a restart");
            }
        }
    }

    @Test
    void readOnlyFileSystemRefusesWritesClearlyAndKeepsReads() throws Exception {
        Optional<ScratchMount> mount = ScratchMount.ext4(256L << 20);
        assumeTrue(mount.isPresent(), "needs root and a loop device; EmbeddedWalFaultTest covers a read-only file");
        try (ScratchMount disk = mount.get(); ElanusServerProcess server = ElanusServerProcess.startIn(disk.dir());
             Connection connection = new Connection(server)) {
            MilvusClientV2 client = connection.client;
            Set<Long> acked = new HashSet<>();
            createCollection(client);
            insert(client, 0, acked);
            assertEquals(acked, ids(client, ConsistencyLevel.STRONG));

            disk.forceReadOnly();
            MilvusClientException refused = insertUntilRefused(client, acked);
            assertEquals(IO_FAILED, refused.getServerErrCode(), refused::getMessage);
            assertTrue(refused.getMessage().contains("read-only"), refused::getMessage);
            assertTrue(awaitHealth(server, false).contains("read-only"));

            MilvusClientException ddl = assertThrowsServerError(() -> client.createCollection(
                    CreateCollectionReq.builder().collectionName("created_while_read_only").dimension(DIM).build()));
            assertEquals(IO_FAILED, ddl.getServerErrCode(), ddl::getMessage);

            assertTrue(ids(client, ConsistencyLevel.EVENTUALLY).containsAll(idsOfBatch(0)), "held rows are still answered");
            assertStrongReadAnswersOrFailsWith(client, acked, IO_FAILED);
        }
    }

    @Test
    void deletedDataDirectoryRefusesWritesAndTurnsUnhealthy() throws Exception {
        try (ElanusServerProcess server = ElanusServerProcess.start(); Connection connection = new Connection(server)) {
            MilvusClientV2 client = connection.client;
            Set<Long> acked = new HashSet<>();
            createCollection(client);
            insert(client, 0, acked);
            assertEquals(acked, ids(client, ConsistencyLevel.STRONG));

            ElanusServerProcess.deleteRecursively(server.dataDir());
            assertTrue(awaitHealth(server, false).contains("data directory deleted"));
            MilvusClientException refused = assertThrowsServerError(() -> insert(client, 1, acked));
            assertEquals(IO_FAILED, refused.getServerErrCode(), refused::getMessage);
            assertTrue(refused.getMessage().contains("data directory deleted"), refused::getMessage);
            // Refused from then on, also once the path exists again: what was written since is gone.
            server.dataDir().toFile().mkdirs();
            assertThrowsServerError(() -> insert(client, 2, acked));
            assertNotEquals(200, health(server).statusCode());
            assertTrue(ids(client, ConsistencyLevel.EVENTUALLY).containsAll(idsOfBatch(0)), "held rows are still answered");
        }
    }

    /** A client without retries (a write is acknowledged or not), closed with the test's resources. */
    private static final class Connection implements AutoCloseable {
        final MilvusClientV2 client;

        Connection(ElanusServerProcess server) {
            client = new MilvusClientV2(ConnectConfig.builder().uri(server.uri()).rpcDeadlineMs(60_000).build());
            client.retryConfig(RetryConfig.builder().maxRetryTimes(1).build());
        }

        @Override
        public void close() {
            client.close();
        }
    }

    private static void createCollection(MilvusClientV2 client) {
        client.createCollection(CreateCollectionReq.builder().collectionName(COLLECTION).dimension(DIM)
                .consistencyLevel(ConsistencyLevel.STRONG).build());
        awaitLoaded(client, COLLECTION);
    }

    private static List<Long> idsOfBatch(int batch) {
        List<Long> ids = new ArrayList<>(BATCH);
        for (int j = 0; j < BATCH; j++) {
            ids.add((long) batch * BATCH + j);
        }
        return ids;
    }

    /** Inserts batch {@code batch}; records its ids as acknowledged only when the server said so. */
    private static void insert(MilvusClientV2 client, int batch, Set<Long> acked) {
        List<JsonObject> rows = new ArrayList<>(BATCH);
        Random random = Seeds.current().random(batch);
        for (long id : idsOfBatch(batch)) {
            JsonObject row = new JsonObject();
            row.addProperty("id", id);
            float[] vector = new float[DIM];
            for (int d = 0; d < DIM; d++) {
                vector[d] = random.nextFloat();
            }
            row.add("vector", SharedServerTestBase.jsonVector(vector));
            rows.add(row);
        }
        client.insert(InsertReq.builder().collectionName(COLLECTION).data(rows).build());
        acked.addAll(idsOfBatch(batch));
    }

    /** Inserts new batches until one is refused (small writes may still fit in partly used pages at first). */
    /**
     * Flushes without waiting, then asks GetFlushState until it answers an error, through the legacy client:
     * MilvusClientV2's flush wait reads only the {@code flushed} flag of GetFlushState, never its status.
     */
    private static R<?> flushUntilFailed(ElanusServerProcess server) {
        MilvusServiceClient legacy = new MilvusServiceClient(ConnectParam.newBuilder().withHost("127.0.0.1")
                .withPort(server.port()).build());
        try {
            R<FlushResponse> flush = legacy.flush(FlushParam.newBuilder().addCollectionName(COLLECTION).withSyncFlush(false).build());
            if (flush.getStatus() != R.Status.Success.getCode()) {
                return flush;
            }
            GetFlushStateParam state = GetFlushStateParam.newBuilder().withCollectionName(COLLECTION)
                    .withSegmentIDs(flush.getData().getCollSegIDsMap().get(COLLECTION).getDataList())
                    .withFlushTs(flush.getData().getCollFlushTsMap().get(COLLECTION)).build();
            long deadline = System.currentTimeMillis() + PATIENCE_MS;
            while (System.currentTimeMillis() < deadline) {
                R<GetFlushStateResponse> answer = legacy.getFlushState(state);
                if (answer.getStatus() != R.Status.Success.getCode()) {
                    return answer;
                }
                assertFalse(answer.getData().getFlushed(), "a flush completed on a full disk");
                MilvusAssertions.sleep(500);
            }
            return fail("GetFlushState neither completed nor failed within " + PATIENCE_MS + " ms");
        } finally {
            legacy.close();
        }
    }

    private static MilvusClientException insertUntilRefused(MilvusClientV2 client, Set<Long> acked) {
        for (int batch = 1; batch <= 200; batch++) {
            try {
                insert(client, batch, acked);
            } catch (MilvusClientException refused) {
                return refused;
            }
        }
        return fail("200 inserts were accepted on a full or read-only file system");
    }

    /** Retries a new batch until the server accepts it again. */
    private static void insertUntilAccepted(MilvusClientV2 client, Set<Long> acked) {
        long deadline = System.currentTimeMillis() + PATIENCE_MS;
        MilvusClientException last = null;
        for (int batch = 1_000; System.currentTimeMillis() < deadline; batch++) {
            try {
                insert(client, batch, acked);
                return;
            } catch (MilvusClientException e) {
                last = e;
                MilvusAssertions.sleep(500);
            }
        }
        fail("inserts were not accepted again after space was freed; last error: " + last);
    }

    /** A Strong read must not hang: it answers every acknowledged row, or fails at once with the fault's code. */
    private static void assertStrongReadAnswersOrFailsWith(MilvusClientV2 client, Set<Long> acked, int code) {
        try {
            assertEquals(acked, ids(client, ConsistencyLevel.STRONG));
        } catch (MilvusClientException e) {
            assertEquals(code, e.getServerErrCode(), e::getMessage);
        }
    }

    private static Set<Long> ids(MilvusClientV2 client, ConsistencyLevel level) {
        List<QueryResp.QueryResult> rows = client.query(QueryReq.builder().collectionName(COLLECTION).filter("id >= 0")
                .outputFields(List.of("id")).limit(16_384).consistencyLevel(level).build()).getQueryResults();
        Set<Long> ids = new HashSet<>();
        for (QueryResp.QueryResult row : rows) {
            assertTrue(ids.add((Long) row.getEntity().get("id")), "duplicate id " + row.getEntity().get("id"));
        }
        return ids;
    }

    private static MilvusClientException assertThrowsServerError(Runnable call) {
        try {
            call.run();
        } catch (MilvusClientException e) {
            return e;
        }
        return fail("the call was accepted");
    }

    private static HttpResponse<String> health(ElanusServerProcess server) throws Exception {
        return HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.healthPort() + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Polls /healthz until it is (un)healthy; returns the last body (the reasons when unhealthy). */
    private static String awaitHealth(ElanusServerProcess server, boolean healthy) throws Exception {
        long deadline = System.currentTimeMillis() + PATIENCE_MS;
        HttpResponse<String> last = health(server);
        while ((last.statusCode() == 200) != healthy) {
            if (System.currentTimeMillis() > deadline) {
                fail("/healthz stayed " + last.statusCode() + " " + last.body());
            }
            MilvusAssertions.sleep(200);
            last = health(server);
        }
        return last.body();
    }
}
