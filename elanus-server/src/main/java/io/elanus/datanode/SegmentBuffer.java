package io.elanus.datanode;

import io.elanus.segment.Chunk;
import io.elanus.segment.FieldDataBuilder;
import io.milvus.grpc.CollectionSchema;
import io.milvus.grpc.FieldData;
import io.milvus.grpc.FieldSchema;

import java.util.ArrayList;
import java.util.List;

/**
 * Inserts of one growing segment buffered by a flow graph until the segment is flushed, each one
 * decoded into columns by field id (so the order and form in which a message lists its fields do
 * not matter). Keeps the smallest WAL offset of its messages: the channel checkpoint may not pass
 * it while it is unflushed. (Messages are applied in timestamp order, which is not always offset
 * order, so the first message applied is not necessarily the one with the smallest offset.)
 */
final class SegmentBuffer {
    final long segmentId;
    final long partitionId;
    private long minOffset;
    private final List<Chunk> chunks = new ArrayList<>();
    private long rows;

    SegmentBuffer(long segmentId, long partitionId) {
        this.segmentId = segmentId;
        this.partitionId = partitionId;
        this.minOffset = Long.MAX_VALUE;
    }

    /** The smallest WAL offset of any buffered message. */
    long minOffset() {
        return minOffset;
    }

    void add(Chunk chunk, long offset) {
        minOffset = Math.min(minOffset, offset);
        chunks.add(chunk);
        rows += chunk.rowCount();
    }

    long rows() {
        return rows;
    }

    /** One FieldData per schema field, in schema order, holding the rows of every buffered insert. */
    List<FieldData> mergedFields(CollectionSchema schema) {
        List<FieldData> out = new ArrayList<>(schema.getFieldsCount());
        for (FieldSchema field : schema.getFieldsList()) {
            FieldDataBuilder b = new FieldDataBuilder(field, null, (int) rows);
            for (Chunk chunk : chunks) {
                var column = chunk.column(field.getFieldID());
                for (int r = 0; r < chunk.rowCount(); r++) {
                    b.append(column, r);
                }
            }
            out.add(b.build());
        }
        return out;
    }

    long[] mergedTimestamps() {
        long[] out = new long[(int) rows];
        int pos = 0;
        for (Chunk c : chunks) {
            System.arraycopy(c.timestamps(), 0, out, pos, c.rowCount());
            pos += c.rowCount();
        }
        return out;
    }
}
