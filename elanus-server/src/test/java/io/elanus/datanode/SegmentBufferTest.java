package io.elanus.datanode;

import io.elanus.segment.Chunk;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The checkpoint may not pass any unflushed message. Messages of a tick are applied in timestamp
 * order, and concurrent writers make that differ from WAL order: the buffer must report the
 * smallest offset it holds, not the offset of the first message applied (a crash test lost rows
 * while it did the latter).
 */
class SegmentBufferTest {
    @Test
    void reportsTheSmallestOffsetWhateverTheOrderOfApplication() {
        SegmentBuffer buffer = new SegmentBuffer(7, 1);
        buffer.add(chunk(2, 50), 100);
        buffer.add(chunk(3, 55), 98);
        buffer.add(chunk(1, 60), 103);
        assertEquals(98, buffer.minOffset());
        assertEquals(6, buffer.rows());
        assertArrayEquals(new long[]{50, 50, 55, 55, 55, 60}, buffer.mergedTimestamps());
    }

    private static Chunk chunk(int rows, long ts) {
        long[] timestamps = new long[rows];
        Arrays.fill(timestamps, ts);
        return new Chunk(rows, timestamps, Map.of());
    }
}
