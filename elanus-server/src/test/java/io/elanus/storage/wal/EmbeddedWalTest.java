package io.elanus.storage.wal;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedWalTest extends WalConformanceTest {

    /** Small segments so that the suite exercises rolling, cross-segment reads and truncation. */
    private static final long SEGMENT_BYTES = 1024;

    @Override
    protected Wal open(Path dir) {
        return EmbeddedWal.open(dir, SEGMENT_BYTES);
    }

    private List<Path> segments(String channel) throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve(channel))) {
            return files.sorted().toList();
        }
    }

    @Test
    void rollsSegmentsAndTruncationDropsWholeSegments() throws Exception {
        appendNumbered("ch", 0, 300);
        int before = segments("ch").size();
        assertTrue(before > 5, "segments: " + before);
        wal.truncateBefore("ch", 150);
        long start = wal.startOffset("ch");
        assertTrue(start > 0 && start <= 150, "start " + start);
        assertTrue(segments("ch").size() < before);
        assertThrows(IllegalArgumentException.class, () -> wal.openReader("ch", start - 1));
        wal.truncateBefore("ch", 10_000);
        assertEquals(1, segments("ch").size(), "the active segment stays");
        assertEquals(300, wal.endOffset("ch"));
        appendNumbered("ch", 300, 302);
        assertReadsNumbered("ch", wal.startOffset("ch"), 302);
    }

    /** An executor's shutdownNow interrupts a task mid-append; a FileChannel would close itself for every thread. */
    @Test
    void anInterruptedAppenderNeitherFailsNorBreaksTheChannel() throws Exception {
        appendNumbered("ch", 0, 3);
        Thread.currentThread().interrupt();
        try {
            appendNumbered("ch", 3, 5);
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
        } finally {
            Thread.interrupted();
        }
        appendNumbered("ch", 5, 7);
        assertReadsNumbered("ch", 0, 7);
        wal.close();
        wal = open(dir);
        assertReadsNumbered("ch", 0, 7);
    }

    @Test
    void garbageAfterTheLastRecordIsDroppedOnOpen() throws Exception {
        appendNumbered("ch", 0, 10);
        wal.close();
        Path last = segments("ch").getLast();
        Files.write(last, new byte[]{0, 0, 0, 42, 1, 2, 3}, StandardOpenOption.APPEND);
        wal = open(dir);
        assertEquals(10, wal.endOffset("ch"));
        appendNumbered("ch", 10, 12);
        assertReadsNumbered("ch", 0, 12);
    }

    @Test
    void aTornLastRecordIsDroppedOnOpen() throws Exception {
        appendNumbered("ch", 0, 10);
        wal.close();
        Path last = segments("ch").getLast();
        try (FileChannel file = FileChannel.open(last, StandardOpenOption.WRITE)) {
            file.truncate(file.size() - 3);
        }
        wal = open(dir);
        assertEquals(9, wal.endOffset("ch"));
        appendNumbered("ch", 9, 11);
        assertReadsNumbered("ch", 0, 11);
    }

    @Test
    void aCorruptedLastRecordIsDroppedOnOpen() throws Exception {
        appendNumbered("ch", 0, 10);
        wal.close();
        Path last = segments("ch").getLast();
        try (FileChannel file = FileChannel.open(last, StandardOpenOption.WRITE)) {
            file.write(ByteBuffer.wrap(new byte[]{'X'}), file.size() - 1);
        }
        wal = open(dir);
        assertEquals(9, wal.endOffset("ch"));
        assertReadsNumbered("ch", 0, 9);
    }

    @Test
    void pollingAfterTheWalClosedFails() throws Exception {
        WalReader reader = wal.openReader("ch", 0);
        wal.close();
        assertThrows(IllegalStateException.class, () -> reader.poll(SHORT));
        wal = open(dir);
    }
}
