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
    private static final EmbeddedMetaKv.Settings NO_SNAPSHOTS =
            new EmbeddedMetaKv.Settings(Long.MAX_VALUE, 100_000, Duration.ofMillis(50));

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

    /** Restart reads what the state needs, not the history: the files stay near the live map's size. */
    @Test
    void rewritingASmallStateManyTimesKeepsTheFilesBoundedByTheState() throws Exception {
        kv.close();
        EmbeddedMetaKv.Settings settings = new EmbeddedMetaKv.Settings(4096, 100, Duration.ofMillis(50));
        kv = EmbeddedMetaKv.open(dir, settings);
        byte[] value = new byte[1000];
        for (int i = 0; i < 600; i++) {
            value[0] = (byte) i;
            kv.put("state/" + (i % 20), value);
        }
        long revision = kv.currentRevision();
        kv.close();
        long onDisk = 0;
        for (Path file : files("*")) {
            onDisk += Files.size(file);
        }
        // About 620 KB were logged for a live state of about 21 KB.
        assertTrue(onDisk < 200_000, "the meta store keeps " + onDisk + " bytes for 20 keys of 1 KB");
        kv = EmbeddedMetaKv.open(dir, settings);
        assertEquals(revision, kv.currentRevision());
        assertEquals(20, kv.scanPrefix("state/").size());
        assertEquals((byte) 599, kv.get("state/19").orElseThrow().value()[0]);
    }

    /**
     * Writes 50 keys twice (revisions 1 to 100; the log is then larger than the live map, as a snapshot
     * needs) and closes with one log file and no snapshot.
     */
    private void writeFiftyKeysWithoutSnapshot() {
        kv.close();
        kv = EmbeddedMetaKv.open(dir, NO_SNAPSHOTS);
        for (int i = 0; i < 50; i++) {
            kv.put("c/" + i, bytes("first value of " + i));
        }
        for (int i = 0; i < 50; i++) {
            kv.put("c/" + i, bytes("v" + i));
        }
        kv.close();
    }

    private void assertFiftyKeysAt(long revision) {
        assertEquals(revision, kv.currentRevision());
        List<KvEntry> entries = kv.scanPrefix("c/");
        assertEquals(50, entries.size());
        for (KvEntry e : entries) {
            assertEquals("v" + e.key().substring(2), text(e));
        }
    }

    /** Snapshots run in the background: waits until one is in place and {@code log} is deleted. */
    private void awaitSnapshotCovering(Path log) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (Files.exists(log) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertFalse(Files.exists(log), "no snapshot replaced " + log + " within 60 s");
    }

    /** A crash after the snapshot was renamed into place but before the logs it covers were deleted. */
    @Test
    void aCrashBeforeTheCoveredLogsAreDeletedReopensToTheSameState() throws Exception {
        writeFiftyKeysWithoutSnapshot();
        Path oldLog = files("log-*.log").getFirst();
        byte[] oldLogBytes = Files.readAllBytes(oldLog);
        kv = EmbeddedMetaKv.open(dir, new EmbeddedMetaKv.Settings(1, 100, Duration.ofMillis(50)));
        kv.put("c/0", bytes("v0"));
        awaitSnapshotCovering(oldLog);
        kv.close();
        Files.write(oldLog, oldLogBytes);

        kv = EmbeddedMetaKv.open(dir, NO_SNAPSHOTS);
        assertFiftyKeysAt(101);
        assertEquals(102, kv.put("c/1", bytes("v1")));
        kv.close();
        kv = EmbeddedMetaKv.open(dir, NO_SNAPSHOTS);
        assertFiftyKeysAt(102);
        assertEquals(3, kv.get("c/1").orElseThrow().version());
    }

    /** A crash after the switch to a new log but before the snapshot was complete (its temp file torn). */
    @Test
    void aCrashBetweenTheLogSwitchAndTheSnapshotReopensToTheSameState() throws Exception {
        writeFiftyKeysWithoutSnapshot();
        Files.createFile(dir.resolve(String.format("log-%020d.log", 101)));
        Files.write(dir.resolve(String.format("snapshot-%020d.snap.tmp", 100)), new byte[]{0, 0, 0, 40, 1, 2, 3});

        kv = EmbeddedMetaKv.open(dir, NO_SNAPSHOTS);
        assertFiftyKeysAt(100);
        assertTrue(files("*.tmp").isEmpty(), "the torn snapshot was removed");
        assertEquals(101, kv.put("c/2", bytes("v2")));
        kv.close();
        assertEquals(2, files("log-*.log").size());
        assertTrue(Files.size(files("log-*.log").getLast()) > 0, "the new revision went to the new log");

        kv = EmbeddedMetaKv.open(dir, new EmbeddedMetaKv.Settings(1, 100, Duration.ofMillis(50)));
        assertFiftyKeysAt(101);
        assertEquals(102, kv.put("c/3", bytes("v3")));
        awaitSnapshotCovering(files("log-*.log").getFirst());
        kv.close();
        kv = EmbeddedMetaKv.open(dir, NO_SNAPSHOTS);
        assertFiftyKeysAt(102);
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
