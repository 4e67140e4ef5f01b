package io.elanus.storage.wal;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contract every {@link Wal} must meet; subclasses say how to open one. */
public abstract class WalConformanceTest {

    protected static final Duration SHORT = Duration.ofMillis(50);
    protected static final Duration LONG = Duration.ofSeconds(10);

    @TempDir
    protected Path dir;
    protected Wal wal;

    /** Opens a WAL over {@code dir}; opening the same dir again must see the same records. */
    protected abstract Wal open(Path dir) throws Exception;

    @BeforeEach
    void openWal() throws Exception {
        wal = open(dir);
    }

    @AfterEach
    void closeWal() {
        wal.close();
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    protected void appendNumbered(String channel, int from, int to) {
        for (int i = from; i < to; i++) {
            assertEquals(i, wal.append(channel, bytes("record-" + i)).offset());
        }
    }

    protected void assertReadsNumbered(String channel, long from, int to) throws InterruptedException {
        try (WalReader reader = wal.openReader(channel, from)) {
            for (long i = from; i < to; i++) {
                WalRecord record = reader.poll(LONG);
                assertNotNull(record, "record " + i);
                assertEquals(new WalPosition(channel, i), record.position());
                assertArrayEquals(bytes("record-" + i), record.payload());
            }
            assertNull(reader.poll(SHORT));
            assertEquals(to, reader.nextOffset());
        }
    }

    @Test
    void offsetsAreDenseFromZeroAndRecordsReadBackInOrder() throws Exception {
        assertEquals(0, wal.endOffset("dml_0"));
        appendNumbered("dml_0", 0, 100);
        assertEquals(100, wal.endOffset("dml_0"));
        assertEquals(0, wal.startOffset("dml_0"));
        assertReadsNumbered("dml_0", 0, 100);
        assertReadsNumbered("dml_0", 57, 100);
    }

    @Test
    void channelsAreIndependent() throws Exception {
        appendNumbered("elanus-dml_0", 0, 3);
        appendNumbered("elanus-dml_1.v2", 0, 5);
        assertEquals(Set.of("elanus-dml_0", "elanus-dml_1.v2"), wal.channels());
        assertEquals(3, wal.endOffset("elanus-dml_0"));
        assertEquals(5, wal.endOffset("elanus-dml_1.v2"));
        assertEquals(0, wal.endOffset("unknown"));
        assertEquals(0, wal.startOffset("unknown"));
        assertReadsNumbered("elanus-dml_1.v2", 0, 5);
    }

    @Test
    void rejectsChannelNamesOutsideTheAllowedAlphabet() {
        assertThrows(IllegalArgumentException.class, () -> wal.append("a/b", bytes("x")));
        assertThrows(IllegalArgumentException.class, () -> wal.append("..", bytes("x")));
    }

    @Test
    void pollTimesOutThenReturnsARecordAppendedByAnotherThread() throws Exception {
        try (WalReader reader = wal.openReader("ch", 0)) {
            assertNull(reader.poll(SHORT));
            CountDownLatch polling = new CountDownLatch(1);
            Thread appender = Thread.ofPlatform().start(() -> {
                try {
                    polling.await();
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
                wal.append("ch", bytes("late"));
            });
            polling.countDown();
            WalRecord record = reader.poll(LONG);
            appender.join();
            assertNotNull(record);
            assertEquals(0, record.position().offset());
            assertArrayEquals(bytes("late"), record.payload());
        }
    }

    @Test
    void readerStartingPastTheEndWaitsForThatOffset() throws Exception {
        appendNumbered("ch", 0, 3);
        try (WalReader reader = wal.openReader("ch", 5)) {
            assertNull(reader.poll(SHORT));
            appendNumbered("ch", 3, 6);
            WalRecord record = reader.poll(LONG);
            assertEquals(5, record.position().offset());
        }
    }

    @Test
    void largePayloadsRoundTrip() throws Exception {
        byte[] big = new byte[512 * 1024];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        for (int i = 0; i < 4; i++) {
            big[0] = (byte) i;
            assertEquals(i, wal.append("big", big.clone()).offset());
        }
        try (WalReader reader = wal.openReader("big", 0)) {
            for (int i = 0; i < 4; i++) {
                byte[] payload = reader.poll(LONG).payload();
                assertEquals(big.length, payload.length);
                assertEquals((byte) i, payload[0]);
                assertEquals(big[1000], payload[1000]);
            }
        }
    }

    @Test
    void concurrentAppendersGetUniqueDenseOffsetsAndEveryRecordIsReadOnce() throws Exception {
        int threads = 8;
        int perThread = 400;
        ConcurrentHashMap<Long, Long> acknowledged = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                for (int i = 0; i < perThread; i++) {
                    long id = (long) thread << 32 | i;
                    byte[] payload = ByteBuffer.allocate(64).putLong(id).array();
                    long offset = wal.append("hot", payload).offset();
                    assertNullPrevious(acknowledged.put(offset, id), offset);
                }
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        int total = threads * perThread;
        assertEquals(total, acknowledged.size());
        assertEquals(total, wal.endOffset("hot"));
        Set<Long> seen = new HashSet<>();
        try (WalReader reader = wal.openReader("hot", 0)) {
            for (long offset = 0; offset < total; offset++) {
                WalRecord record = reader.poll(LONG);
                assertEquals(offset, record.position().offset());
                long id = ByteBuffer.wrap(record.payload()).getLong();
                assertEquals(acknowledged.get(offset), id);
                assertTrue(seen.add(id));
            }
            assertNull(reader.poll(SHORT));
        }
    }

    private static void assertNullPrevious(Long previous, long offset) {
        assertNull(previous, "offset " + offset + " handed out twice");
    }

    @Test
    void recordsSurviveReopenAndAppendsContinue() throws Exception {
        appendNumbered("ch", 0, 20);
        wal.close();
        wal = open(dir);
        assertEquals(20, wal.endOffset("ch"));
        assertTrue(wal.channels().contains("ch"));
        appendNumbered("ch", 20, 25);
        assertReadsNumbered("ch", 0, 25);
    }

    @Test
    void truncationKeepsRecordsAtOrAfterTheOffset() throws Exception {
        appendNumbered("ch", 0, 200);
        wal.truncateBefore("ch", 150);
        long start = wal.startOffset("ch");
        assertTrue(start <= 150, "start " + start);
        assertReadsNumbered("ch", 150, 200);
        assertReadsNumbered("ch", start, 200);
        appendNumbered("ch", 200, 210);
        assertEquals(210, wal.endOffset("ch"));
        wal.close();
        wal = open(dir);
        assertEquals(start, wal.startOffset("ch"));
        assertReadsNumbered("ch", 150, 210);
    }
}
