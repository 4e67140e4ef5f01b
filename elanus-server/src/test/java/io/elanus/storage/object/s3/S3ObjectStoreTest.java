package io.elanus.storage.object.s3;

import io.elanus.storage.object.ObjectInfo;
import io.elanus.storage.object.ObjectStore;
import io.elanus.storage.object.ObjectStoreConformanceTest;
import io.elanus.testkit.Seed;
import io.elanus.testkit.Seeds;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The conformance suite and S3-specific behaviour against one in-memory S3 server per class. */
@ExtendWith(Seeds.class)
class S3ObjectStoreTest extends ObjectStoreConformanceTest {

    private static final String BUCKET = "elanus-conformance";
    private static final Map<Path, String> ROOTS = new ConcurrentHashMap<>();
    private static final AtomicInteger STORES = new AtomicInteger();
    private static S3TestServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = new S3TestServer();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    /** Each test's directory gets its own root path in the shared bucket; reopening it finds the same objects. */
    @Override
    protected ObjectStore open(Path dir) {
        String root = ROOTS.computeIfAbsent(dir, d -> "conformance/store-" + STORES.incrementAndGet());
        return new S3ObjectStore(server.config(BUCKET, root));
    }

    @Test
    void moreThanOneThousandKeysAreListedAndDeletedAcrossPages() throws Exception {
        int count = S3ObjectStore.DELETE_BATCH + 34;
        List<String> expected = IntStream.range(0, count).mapToObj(i -> "many/%05d".formatted(i)).toList();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> puts = new ArrayList<>();
            for (String key : expected) {
                puts.add(pool.submit(() -> store.put(key, bytes(key))));
            }
            for (Future<?> put : puts) {
                put.get();
            }
        }
        store.put("manyother", bytes("kept"));

        assertEquals(expected, store.list("many/").stream().map(ObjectInfo::key).toList());
        store.deletePrefix("many/");
        assertEquals(List.of("manyother"), store.list("many").stream().map(ObjectInfo::key).toList());
    }

    @Test
    void largeObjectsRoundTrip(Seed seed) {
        byte[] data = new byte[48 << 20];
        seed.random(7).nextBytes(data);
        store.put("big/segment", data);
        assertArrayEquals(data, store.get("big/segment").orElseThrow());
        assertArrayEquals(Arrays.copyOfRange(data, data.length - 1000, data.length),
                store.getRange("big/segment", data.length - 1000, 4096));
        assertEquals(List.of(new ObjectInfo("big/segment", data.length)), store.list("big/"));
    }

    @Test
    void rootPathScopesKeys() {
        try (ObjectStore whole = new S3ObjectStore(server.config("elanus-roots", ""));
             ObjectStore files = new S3ObjectStore(server.config("elanus-roots", "/files/"));
             ObjectStore other = new S3ObjectStore(server.config("elanus-roots", "other"))) {
            files.put("a/1", bytes("in files"));
            other.put("a/1", bytes("in other"));

            assertEquals(List.of(new ObjectInfo("a/1", 8)), files.list(""));
            assertArrayEquals(bytes("in other"), other.get("a/1").orElseThrow());
            assertEquals(List.of("files/a/1", "other/a/1"), whole.list("").stream().map(ObjectInfo::key).toList());

            files.deletePrefix("");
            assertEquals(List.of("other/a/1"), whole.list("").stream().map(ObjectInfo::key).toList());
        }
    }

    @Test
    void concurrentOpensCreateTheBucketOnce() throws Exception {
        int openers = 4;
        CyclicBarrier start = new CyclicBarrier(openers);
        List<ObjectStore> stores = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(openers)) {
            List<Future<ObjectStore>> opening = new ArrayList<>();
            for (int i = 0; i < openers; i++) {
                opening.add(pool.submit(() -> {
                    start.await();
                    return new S3ObjectStore(server.config("elanus-created-at-open", "files"));
                }));
            }
            for (Future<ObjectStore> future : opening) {
                stores.add(future.get());
            }
        }
        try {
            stores.getFirst().put("k", bytes("v"));
            for (ObjectStore s : stores) {
                assertArrayEquals(bytes("v"), s.get("k").orElseThrow());
            }
        } finally {
            stores.forEach(ObjectStore::close);
        }
    }

    @Test
    void wrongCredentialsFailClearly() {
        S3ObjectStoreConfig good = server.config(BUCKET, "x");
        S3ObjectStoreConfig bad = new S3ObjectStoreConfig(good.address(), good.port(), false, BUCKET, good.accessKeyId(),
                "not-the-secret", "x", good.region(), good.requestTimeout());
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> new S3ObjectStore(bad));
        assertTrue(e.getMessage().contains("403"), e.getMessage());
    }

    @Test
    void unreachableServerFailsClearly() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        S3ObjectStoreConfig config = S3ObjectStoreConfig.of("127.0.0.1", port, false, BUCKET, "k", "s", "x");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> new S3ObjectStore(config));
        assertTrue(e.getMessage().startsWith("open bucket " + BUCKET + " failed"), e.getMessage());
    }
}
