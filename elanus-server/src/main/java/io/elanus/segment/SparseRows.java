package io.elanus.segment;

import com.google.protobuf.ByteString;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Milvus's wire form of one sparse vector row: consecutive (uint32 index, float32 value) pairs,
 * little-endian, ascending by index. Indices are kept in {@code int}s holding the unsigned bits.
 */
public final class SparseRows {
    /** Bytes per (index, value) pair. */
    public static final int PAIR_BYTES = 8;

    private SparseRows() {
    }

    public static int pairCount(ByteString row) {
        return row.size() / PAIR_BYTES;
    }

    /** Parses {@code row} into fresh arrays stored at {@code indicesOut[slot]} / {@code valuesOut[slot]}. */
    public static void parse(ByteString row, int[][] indicesOut, float[][] valuesOut, int slot) {
        int n = pairCount(row);
        int[] indices = new int[n];
        float[] values = new float[n];
        ByteBuffer buf = row.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            indices[i] = buf.getInt();
            values[i] = buf.getFloat();
        }
        indicesOut[slot] = indices;
        valuesOut[slot] = values;
    }

    public static ByteString encode(int[] indices, float[] values) {
        ByteBuffer buf = ByteBuffer.allocate(indices.length * PAIR_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < indices.length; i++) {
            buf.putInt(indices[i]).putFloat(values[i]);
        }
        buf.flip();
        return ByteString.copyFrom(buf);
    }

    /** One more than the largest (unsigned) index of a row: the row's contribution to the batch dim. */
    public static long rowDim(int[] indices) {
        return indices.length == 0 ? 0 : Integer.toUnsignedLong(indices[indices.length - 1]) + 1;
    }

    /** {@link #rowDim(int[])} of a row in wire form. */
    public static long rowDim(ByteString row) {
        int n = pairCount(row);
        if (n == 0) {
            return 0;
        }
        int last = row.substring((n - 1) * PAIR_BYTES, (n - 1) * PAIR_BYTES + Integer.BYTES)
                .asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).getInt();
        return Integer.toUnsignedLong(last) + 1;
    }
}
