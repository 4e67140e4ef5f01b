package io.elanus.storage.kv;

import io.elanus.storage.StorageFaultException;
import io.elanus.storage.file.FaultyChannels;
import io.elanus.storage.file.FaultyChannels.Fault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The meta store under file-system faults injected at the channel level: a mutation that cannot be
 * logged fails with a clear fault and changes nothing, reads go on, and mutations resume by
 * themselves once the fault is gone, with exactly the acknowledged mutations kept across a reopen.
 */
class EmbeddedMetaKvFaultTest {

    /** A small snapshot threshold so that faults also meet log rolls. */
    private static final EmbeddedMetaKv.Settings SETTINGS = new EmbeddedMetaKv.Settings(512, 1_000, Duration.ofMillis(50));

    @TempDir
    Path dir;

    private final FaultyChannels channels = new FaultyChannels();

    @Test
    void fullDiskFailsClearlyChangesNothingAndMutationsResume() {
        try (EmbeddedMetaKv kv = EmbeddedMetaKv.open(dir, SETTINGS, channels)) {
            putAll(kv, "a", 20);
            long revision = kv.currentRevision();
            channels.set(Fault.DISK_FULL);
            StorageFaultException e = assertThrows(StorageFaultException.class, () -> kv.put("lost", bytes("x")));
            assertEquals(StorageFaultException.Kind.DISK_FULL, e.kind());
            assertTrue(e.getMessage().startsWith("disk quota exhausted: no space left on " + dir), e.getMessage());
            assertTrue(kv.get("lost").isEmpty());
            assertEquals(revision, kv.currentRevision());
            assertEquals("a7", string(kv.get("a/7").orElseThrow().value()), "reads go on");
            assertTrue(kv.activeFaults().getFirst().contains("no space left"), kv.activeFaults().toString());

            channels.set(Fault.NONE);
            putAll(kv, "b", 20);
            assertEquals(revision + 20, kv.currentRevision(), "revisions stay dense");
            assertEquals(List.of(), kv.activeFaults());
        }
        try (EmbeddedMetaKv reopened = EmbeddedMetaKv.open(dir, SETTINGS)) {
            assertEquals(20, reopened.scanPrefix("a/").size());
            assertEquals(20, reopened.scanPrefix("b/").size());
            assertTrue(reopened.get("lost").isEmpty());
        }
    }

    @Test
    void failedFsyncRollsTheUnacknowledgedMutationBack() {
        try (EmbeddedMetaKv kv = EmbeddedMetaKv.open(dir, SETTINGS, channels)) {
            putAll(kv, "a", 3);
            long revision = kv.currentRevision();
            channels.set(Fault.FSYNC_FAILS);
            assertThrows(StorageFaultException.class, () -> kv.put("lost", bytes("x")));
            channels.set(Fault.NONE);
            assertEquals(revision + 1, kv.put("kept", bytes("y")), "the failed mutation's revision is reused");
            assertTrue(kv.get("lost").isEmpty(), "the failed mutation was rolled back");
            assertEquals("y", string(kv.get("kept").orElseThrow().value()));
        }
        try (EmbeddedMetaKv reopened = EmbeddedMetaKv.open(dir, SETTINGS)) {
            assertTrue(reopened.get("lost").isEmpty());
            assertEquals("y", string(reopened.get("kept").orElseThrow().value()));
            assertEquals(3, reopened.scanPrefix("a/").size());
        }
    }

    @Test
    void readOnlyThenWritableAgain() {
        try (EmbeddedMetaKv kv = EmbeddedMetaKv.open(dir, SETTINGS, channels)) {
            putAll(kv, "a", 5);
            channels.set(Fault.READ_ONLY);
            StorageFaultException e = assertThrows(StorageFaultException.class, () -> kv.put("lost", bytes("x")));
            assertEquals(StorageFaultException.Kind.READ_ONLY, e.kind());
            channels.set(Fault.NONE);
            putAll(kv, "b", 5);
        }
        try (EmbeddedMetaKv reopened = EmbeddedMetaKv.open(dir, SETTINGS)) {
            assertEquals(10, reopened.scanPrefix("").size());
        }
    }

    @Test
    void deletedDirectoryRefusesEveryMutationFromThenOn() throws Exception {
        try (EmbeddedMetaKv kv = EmbeddedMetaKv.open(dir, SETTINGS, channels)) {
            putAll(kv, "a", 2);
            FaultyChannels.deleteTree(dir);
            StorageFaultException e = assertThrows(StorageFaultException.class, () -> kv.put("x", bytes("x")));
            assertEquals(StorageFaultException.Kind.DATA_DELETED, e.kind());
            Files.createDirectories(dir);
            assertThrows(StorageFaultException.class, () -> kv.put("y", bytes("y")));
            assertTrue(String.join(";", kv.activeFaults()).contains("data directory deleted"), kv.activeFaults().toString());
            assertEquals("a1", string(kv.get("a/1").orElseThrow().value()), "reads go on");
        }
    }

    private static void putAll(EmbeddedMetaKv kv, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            kv.put(prefix + "/" + i, bytes(prefix + i));
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String string(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
