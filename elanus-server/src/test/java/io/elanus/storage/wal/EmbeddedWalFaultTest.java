package io.elanus.storage.wal;

import io.elanus.storage.StorageFaultException;
import io.elanus.storage.file.FaultyChannels;
import io.elanus.storage.file.FaultyChannels.Fault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The WAL under file-system faults injected at the channel level: a full disk (a write that lands
 * half), a read-only file system, a failing fsync, a deleted directory. Every acknowledged record
 * must be read back exactly once, also after a reopen, and appends must resume once the fault is gone.
 */
class EmbeddedWalFaultTest {

    /** Small segments so that faults also hit rolls. */
    private static final long SEGMENT_BYTES = 256;

    @TempDir
    Path dir;

    private final FaultyChannels channels = new FaultyChannels();

    @Test
    void fullDiskFailsClearlyThenAppendsResumeWithNoTornFrameLeft() {
        List<String> acked = new ArrayList<>();
        try (EmbeddedWal wal = EmbeddedWal.open(dir, SEGMENT_BYTES, channels)) {
            appendAll(wal, acked, 0, 20);
            channels.set(Fault.DISK_FULL);
            StorageFaultException e = assertThrows(StorageFaultException.class, () -> wal.append("ch", bytes("lost")));
            assertEquals(StorageFaultException.Kind.DISK_FULL, e.kind());
            assertTrue(e.getMessage().startsWith("disk quota exhausted: no space left on " + dir.toAbsolutePath()), e.getMessage());
            assertTrue(wal.activeFaults().getFirst().contains("no space left"), wal.activeFaults().toString());
            assertEquals(acked, readAll(wal), "reads of durable records go on");

            channels.set(Fault.NONE);
            appendAll(wal, acked, 20, 40);
            assertEquals(acked, readAll(wal));
            assertEquals(List.of(), wal.activeFaults());
        }
        try (EmbeddedWal reopened = EmbeddedWal.open(dir, SEGMENT_BYTES)) {
            assertEquals(acked, readAll(reopened), "every acknowledged record once, nothing else, after a reopen");
        }
    }

    @Test
    void readOnlyFileSystemFailsClearlyAndRecoversWhenWritableAgain() {
        List<String> acked = new ArrayList<>();
        try (EmbeddedWal wal = EmbeddedWal.open(dir, SEGMENT_BYTES, channels)) {
            appendAll(wal, acked, 0, 5);
            channels.set(Fault.READ_ONLY);
            for (int attempt = 0; attempt < 3; attempt++) {
                StorageFaultException e = assertThrows(StorageFaultException.class, () -> wal.append("ch", bytes("lost")));
                assertEquals(StorageFaultException.Kind.READ_ONLY, e.kind());
                assertTrue(e.getMessage().contains("read-only"), e.getMessage());
            }
            channels.set(Fault.NONE);
            appendAll(wal, acked, 5, 30);
        }
        try (EmbeddedWal reopened = EmbeddedWal.open(dir, SEGMENT_BYTES)) {
            assertEquals(acked, readAll(reopened));
        }
    }

    @Test
    void failedFsyncCutsTheUnacknowledgedRecordAndTheNextAppendTakesItsOffset() {
        List<String> acked = new ArrayList<>();
        try (EmbeddedWal wal = EmbeddedWal.open(dir, SEGMENT_BYTES, channels)) {
            appendAll(wal, acked, 0, 7);
            channels.set(Fault.FSYNC_FAILS);
            assertThrows(StorageFaultException.class, () -> wal.append("ch", bytes("not acknowledged")));
            channels.set(Fault.NONE);
            assertEquals(7, wal.append("ch", bytes("record 7")).offset(), "the failed record was cut");
            acked.add("record 7");
            appendAll(wal, acked, 8, 30);
            assertEquals(acked, readAll(wal));
        }
        try (EmbeddedWal reopened = EmbeddedWal.open(dir, SEGMENT_BYTES)) {
            assertEquals(acked, readAll(reopened), "the record whose fsync failed never reappears");
        }
    }

    @Test
    void aFaultOfOneChannelLeavesTheOthersWorking() {
        try (EmbeddedWal wal = EmbeddedWal.open(dir, SEGMENT_BYTES, channels)) {
            wal.append("a", bytes("a0"));
            wal.append("b", bytes("b0"));
            channels.set(Fault.FSYNC_FAILS);
            assertThrows(StorageFaultException.class, () -> wal.append("a", bytes("lost")));
            channels.set(Fault.NONE);
            assertEquals(1, wal.append("b", bytes("b1")).offset());
            assertEquals(1, wal.append("a", bytes("a1")).offset());
        }
    }

    @Test
    void deletedDirectoryRefusesEveryWriteFromThenOn() throws Exception {
        try (EmbeddedWal wal = EmbeddedWal.open(dir, SEGMENT_BYTES, channels)) {
            wal.append("ch", bytes("kept in memory only"));
            FaultyChannels.deleteTree(dir);
            StorageFaultException e = assertThrows(StorageFaultException.class, () -> wal.append("ch", bytes("x")));
            assertEquals(StorageFaultException.Kind.DATA_DELETED, e.kind());
            assertTrue(e.getMessage().startsWith("data directory deleted: " + dir.toAbsolutePath()), e.getMessage());
            assertTrue(String.join(";", wal.activeFaults()).contains("data directory deleted"), wal.activeFaults().toString());
            Files.createDirectories(dir.resolve("ch"));
            assertThrows(StorageFaultException.class, () -> wal.append("ch", bytes("y")));
            assertThrows(StorageFaultException.class, () -> wal.append("other", bytes("z")));
        }
    }

    private static void appendAll(Wal wal, List<String> acked, int from, int to) {
        for (int i = from; i < to; i++) {
            String payload = "record " + i;
            assertEquals(acked.size(), wal.append("ch", bytes(payload)).offset());
            acked.add(payload);
        }
    }

    private static List<String> readAll(Wal wal) {
        List<String> out = new ArrayList<>();
        try (WalReader reader = wal.openReader("ch", 0)) {
            WalRecord record;
            while ((record = reader.poll(Duration.ZERO)) != null) {
                out.add(new String(record.payload(), StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
