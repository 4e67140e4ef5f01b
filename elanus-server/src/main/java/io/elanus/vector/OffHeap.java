package io.elanus.vector;

import io.elanus.common.OffHeapMemory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Off-heap, little-endian copies of primitive arrays (the layout index files use), freed by the GC. */
final class OffHeap {
    static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private OffHeap() {
    }

    static MemorySegment allocate(long bytes) {
        MemorySegment seg = Arena.ofAuto().allocate(Math.max(1, bytes), 64);
        OffHeapMemory.track(seg, seg.byteSize());
        return seg;
    }

    static MemorySegment floats(float[] values) {
        MemorySegment seg = allocate(4L * values.length);
        MemorySegment.copy(values, 0, seg, FLOAT, 0, values.length);
        return seg.asSlice(0, 4L * values.length);
    }

    static MemorySegment ints(int[] values) {
        MemorySegment seg = allocate(4L * values.length);
        MemorySegment.copy(values, 0, seg, INT, 0, values.length);
        return seg.asSlice(0, 4L * values.length);
    }

    static MemorySegment bytes(byte[] values) {
        MemorySegment seg = allocate(values.length);
        MemorySegment.copy(values, 0, seg, ValueLayout.JAVA_BYTE, 0, values.length);
        return seg.asSlice(0, values.length);
    }

    static float[] toFloats(MemorySegment seg) {
        float[] out = new float[(int) (seg.byteSize() / 4)];
        MemorySegment.copy(seg, FLOAT, 0, out, 0, out.length);
        return out;
    }

    static int[] toInts(MemorySegment seg) {
        int[] out = new int[(int) (seg.byteSize() / 4)];
        MemorySegment.copy(seg, INT, 0, out, 0, out.length);
        return out;
    }
}
