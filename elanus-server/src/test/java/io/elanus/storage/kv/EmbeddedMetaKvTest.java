package io.elanus.storage.kv;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedMetaKvTest extends MetaKvConformanceTest {

    private static final EmbeddedMetaKv.Settings SMALL_LOGS =
            new EmbeddedMetaKv.Settings(4096, 100_000, Duration.ofMillis(50));

    @Override
    protected MetaKv open(Path dir) {
        return EmbeddedMetaKv.open(dir);
    }

    private List<Path> files(String glob) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> dir.getFileSystem().getPathMatcher("glob:" + glob).matches(p.getFileName()))
                    .sorted().toList();
        }
    }

    @Test
    void aNewStoreStartsAtRevisionZero() {
        assertEquals(0, kv.currentRevision());
        assertEquals(1, kv.put("k", bytes("v")));
    }

    /** An executor's shutdownNow interrupts a task mid-write; a FileChannel would close itself for every thread. */
    @Test
    void anInterruptedWriterNeitherFailsNorBreaksTheStore() throws Exception {
        kv.put("k1", bytes("1"));
        Thread.currentThread().interrupt();
        try {
            assertEquals(2, kv.put("k2", bytes("2")));
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
        } finally {
            Thread.interrupted();
        }
        assertEquals(3, kv.put("k3", bytes("3")));
        kv.close();
        kv = open(dir);
        assertEquals("2", text(kv.get("k2").orElseThrow()));
        assertEquals("3", text(kv.get("k3").orElseThrow()));
    }

    @Test
    void garbageAfterTheLastRecordIsIgnoredOnOpen() throws Exception {
        kv.put("k1", bytes("1"));
        kv.put("k2", bytes("2"));
        kv.close();
        Files.write(files("log-*.log").getLast(), new byte[]{0, 0, 0, 9, 7, 7}, StandardOpenOption.APPEND);
        kv = open(dir);
        assertEquals(2, kv.currentRevision());
        assertEquals("2", text(kv.get("k2").orElseThrow()));
        assertEquals(3, kv.put("k3", bytes("3")));
        kv.close();
        kv = open(dir);
        assertEquals("3", text(kv.get("k3").orElseThrow()));
    }

    @Test
    void aTornLastRecordIsDroppedOnOpen() throws Exception {
        kv.put("k1", bytes("1"));
        kv.put("k2", bytes("2"));
        kv.close();
        try (FileChannel log = FileChannel.open(files("log-*.log").getLast(), StandardOpenOption.WRITE)) {
            log.truncate(log.size() - 4);
        }
        kv = open(dir);
        assertEquals(1, kv.currentRevision());
        assertTrue(kv.get("k2").isEmpty());
        assertEquals("1", text(kv.get("k1").orElseThrow()));
    }

    @Test
    void aCorruptedLastRecordIsDroppedOnOpen() throws Exception {
        kv.put("k1", bytes("1"));
        kv.put("k2", bytes("2"));
        kv.close();
        try (FileChannel log = FileChannel.open(files("log-*.log").getLast(), StandardOpenOption.WRITE)) {
            log.write(ByteBuffer.wrap(new byte[]{'#'}), log.size() - 1);
        }
        kv = open(dir);
        assertEquals(1, kv.currentRevision());
        assertTrue(kv.get("k2").isEmpty());
    }

    @Test
    void snapshotsCompactTheLogAndRestoreTheSameState() throws Exception {
        kv.close();
        kv = EmbeddedMetaKv.open(dir, SMALL_LOGS);
        for (int i = 0; i < 600; i++) {
            kv.put("s/" + (i % 40), bytes("value-" + i));
        }
        long revision = kv.currentRevision();
        List<KvEntry> before = kv.scanPrefix("s/");
        kv.close();
        assertFalse(files("snapshot-*.snap").isEmpty(), "a snapshot was written");
        assertTrue(files("log-*.log").size() <= 2, "older logs were deleted: " + files("log-*.log"));
        kv = EmbeddedMetaKv.open(dir, SMALL_LOGS);
        assertEquals(revision, kv.currentRevision());
        List<KvEntry> after = kv.scanPrefix("s/");
        assertEquals(keys(before), keys(after));
        for (int i = 0; i < before.size(); i++) {
            assertEquals(text(before.get(i)), text(after.get(i)));
            assertEquals(before.get(i).version(), after.get(i).version());
            assertEquals(before.get(i).createRevision(), after.get(i).createRevision());
        }
        assertThrows(HistoryCompactedException.class, () -> kv.watchPrefix("s/", 0, event -> { }));
        kv.watchPrefix("s/", revision, event -> { }).close();
    }

    @Test
    void watchesOlderThanTheRetainedHistoryAreRefused() {
        kv.close();
        kv = EmbeddedMetaKv.open(dir, new EmbeddedMetaKv.Settings(64L << 20, 10, Duration.ofMillis(50)));
        for (int i = 0; i < 50; i++) {
            kv.put("h/" + i, bytes("v"));
        }
        assertThrows(HistoryCompactedException.class, () -> kv.watchPrefix("h/", 1, event -> { }));
        kv.watchPrefix("h/", kv.currentRevision() - 5, event -> { }).close();
    }

    @Test
    void watchHistoryAfterReopenComesFromTheLog() throws Exception {
        long first = kv.put("p/1", bytes("1"));
        long second = kv.put("p/2", bytes("2"));
        kv.close();
        kv = open(dir);
        Collector collector = new Collector();
        try (KvWatch ignored = kv.watchPrefix("p/", first, collector)) {
            assertEvent(collector.next(), KvEvent.Type.PUT, "p/2", second);
        }
    }

    @Test
    void keysOfLeasesFromAPreviousRunAreDeletedOnOpen() throws Exception {
        long lease = kv.grantLease(Duration.ofMinutes(10));
        kv.put("session/node-1", bytes("alive"), lease);
        kv.put("meta/kept", bytes("kept"));
        long revision = kv.currentRevision();
        kv.close();
        kv = open(dir);
        assertTrue(kv.get("session/node-1").isEmpty());
        assertTrue(kv.get("meta/kept").isPresent());
        assertEquals(revision + 1, kv.currentRevision());
        assertFalse(kv.keepAlive(lease));
        Collector collector = new Collector();
        try (KvWatch ignored = kv.watchPrefix("session/", revision, collector)) {
            assertEvent(collector.next(), KvEvent.Type.DELETE, "session/node-1", revision + 1);
        }
        long newLease = kv.grantLease(Duration.ofMinutes(1));
        assertTrue(newLease != lease);
    }

    @Test
    void operationsAfterCloseFail() {
        kv.close();
        assertThrows(IllegalStateException.class, () -> kv.put("k", bytes("v")));
        kv = open(dir);
    }
}
