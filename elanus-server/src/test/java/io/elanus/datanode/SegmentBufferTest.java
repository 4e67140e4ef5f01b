package io.elanus.datanode;

import io.elanus.proto.InsertBody;
import org.junit.jupiter.api.Test;

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
        buffer.add(InsertBody.newBuilder().setNumRows(2).build(), 50, 100);
        buffer.add(InsertBody.newBuilder().setNumRows(3).build(), 55, 98);
        buffer.add(InsertBody.newBuilder().setNumRows(1).build(), 60, 103);
        assertEquals(98, buffer.minOffset());
        assertEquals(6, buffer.rows());
        assertArrayEquals(new long[]{50, 50, 55, 55, 55, 60}, buffer.mergedTimestamps());
    }
}
