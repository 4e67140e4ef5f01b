package io.elanus.datanode;

import io.elanus.proto.InsertBody;
import io.milvus.grpc.FieldData;

import java.util.ArrayList;
import java.util.List;

/**
 * Inserts of one growing segment buffered by a flow graph until the segment is flushed. Keeps the
 * smallest WAL offset of its messages: the channel checkpoint may not pass it while it is unflushed.
 * (Messages are applied in timestamp order, which is not always offset order, so the first message
 * applied is not necessarily the one with the smallest offset.)
 */
final class SegmentBuffer {
    final long segmentId;
    final long partitionId;
    private long minOffset;
    private final List<InsertBody> inserts = new ArrayList<>();
    private final List<long[]> timestamps = new ArrayList<>();
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

    void add(InsertBody body, long ts, long offset) {
        minOffset = Math.min(minOffset, offset);
        inserts.add(body);
        long[] t = new long[(int) body.getNumRows()];
        java.util.Arrays.fill(t, ts);
        timestamps.add(t);
        rows += body.getNumRows();
    }

    long rows() {
        return rows;
    }

    /** One FieldData per field, concatenating all buffered inserts (protobuf merge appends repeated values). */
    List<FieldData> mergedFields() {
        List<FieldData.Builder> merged = new ArrayList<>();
        for (InsertBody body : inserts) {
            for (int i = 0; i < body.getFieldsDataCount(); i++) {
                if (merged.size() <= i) {
                    merged.add(body.getFieldsData(i).toBuilder());
                } else {
                    merged.get(i).mergeFrom(body.getFieldsData(i));
                }
            }
        }
        return merged.stream().map(FieldData.Builder::build).toList();
    }

    long[] mergedTimestamps() {
        long[] out = new long[(int) rows];
        int pos = 0;
        for (long[] t : timestamps) {
            System.arraycopy(t, 0, out, pos, t.length);
            pos += t.length;
        }
        return out;
    }
}
