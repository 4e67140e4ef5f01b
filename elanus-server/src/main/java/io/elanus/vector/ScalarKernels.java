package io.elanus.vector;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Plain-Java kernels: the reference for {@link SimdKernels} and the fallback without the Vector API. */
public final class ScalarKernels implements VectorKernels {
    static final ScalarKernels INSTANCE = new ScalarKernels();

    static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final int BIT_XOR = 0;
    static final int BIT_AND = 1;
    static final int BIT_OR = 2;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int len) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < len; i += 4) {
            s0 += a[aOff + i] * b[bOff + i];
            s1 += a[aOff + i + 1] * b[bOff + i + 1];
            s2 += a[aOff + i + 2] * b[bOff + i + 2];
            s3 += a[aOff + i + 3] * b[bOff + i + 3];
        }
        for (; i < len; i++) {
            s0 += a[aOff + i] * b[bOff + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public float l2sq(float[] a, int aOff, float[] b, int bOff, int len) {
        float s0 = 0, s1 = 0;
        int i = 0;
        for (; i + 1 < len; i += 2) {
            float d0 = a[aOff + i] - b[bOff + i];
            float d1 = a[aOff + i + 1] - b[bOff + i + 1];
            s0 += d0 * d0;
            s1 += d1 * d1;
        }
        for (; i < len; i++) {
            float d = a[aOff + i] - b[bOff + i];
            s0 += d * d;
        }
        return s0 + s1;
    }

    @Override
    public float dot(float[] q, MemorySegment seg, long off, int len) {
        float s = 0;
        for (int i = 0; i < len; i++) {
            s += q[i] * seg.get(LE_FLOAT, off + 4L * i);
        }
        return s;
    }

    @Override
    public float l2sq(float[] q, MemorySegment seg, long off, int len) {
        float s = 0;
        for (int i = 0; i < len; i++) {
            float d = q[i] - seg.get(LE_FLOAT, off + 4L * i);
            s += d * d;
        }
        return s;
    }

    @Override
    public void dotRows(float[] q, MemorySegment seg, int[] ids, int n, int len, float[] out) {
        for (int j = 0; j < n; j++) {
            out[j] = dot(q, seg, 4L * len * ids[j], len);
        }
    }

    @Override
    public void l2sqRows(float[] q, MemorySegment seg, int[] ids, int n, int len, float[] out) {
        for (int j = 0; j < n; j++) {
            out[j] = l2sq(q, seg, 4L * len * ids[j], len);
        }
    }

    @Override
    public float int8Dot(float[] q, MemorySegment seg, long off, int len) {
        float s = 0;
        for (int i = 0; i < len; i++) {
            s += q[i] * seg.get(ValueLayout.JAVA_BYTE, off + i);
        }
        return s;
    }

    @Override
    public float int8L2sq(float[] q, MemorySegment seg, long off, int len) {
        float s = 0;
        for (int i = 0; i < len; i++) {
            float d = q[i] - seg.get(ValueLayout.JAVA_BYTE, off + i);
            s += d * d;
        }
        return s;
    }

    @Override
    public int int8Dot(byte[] a, int aOff, byte[] b, int bOff, int len) {
        int s = 0;
        for (int i = 0; i < len; i++) {
            s += a[aOff + i] * b[bOff + i];
        }
        return s;
    }

    @Override
    public int int8L2sq(byte[] a, int aOff, byte[] b, int bOff, int len) {
        int s = 0;
        for (int i = 0; i < len; i++) {
            int d = a[aOff + i] - b[bOff + i];
            s += d * d;
        }
        return s;
    }

    @Override
    public int hamming(byte[] a, int aOff, byte[] b, int bOff, int len) {
        int n = 0;
        int i = 0;
        for (; i + 7 < len; i += 8) {
            n += Long.bitCount((long) LONGS.get(a, aOff + i) ^ (long) LONGS.get(b, bOff + i));
        }
        for (; i < len; i++) {
            n += Integer.bitCount((a[aOff + i] ^ b[bOff + i]) & 0xff);
        }
        return n;
    }

    @Override
    public int andCount(byte[] a, int aOff, byte[] b, int bOff, int len) {
        int n = 0;
        int i = 0;
        for (; i + 7 < len; i += 8) {
            n += Long.bitCount((long) LONGS.get(a, aOff + i) & (long) LONGS.get(b, bOff + i));
        }
        for (; i < len; i++) {
            n += Integer.bitCount(a[aOff + i] & b[bOff + i] & 0xff);
        }
        return n;
    }

    @Override
    public int orCount(byte[] a, int aOff, byte[] b, int bOff, int len) {
        int n = 0;
        int i = 0;
        for (; i + 7 < len; i += 8) {
            n += Long.bitCount((long) LONGS.get(a, aOff + i) | (long) LONGS.get(b, bOff + i));
        }
        for (; i < len; i++) {
            n += Integer.bitCount((a[aOff + i] | b[bOff + i]) & 0xff);
        }
        return n;
    }

    @Override
    public int hamming(byte[] q, MemorySegment seg, long off, int len) {
        return bitCount(BIT_XOR, q, seg, off, len);
    }

    @Override
    public int andCount(byte[] q, MemorySegment seg, long off, int len) {
        return bitCount(BIT_AND, q, seg, off, len);
    }

    @Override
    public int orCount(byte[] q, MemorySegment seg, long off, int len) {
        return bitCount(BIT_OR, q, seg, off, len);
    }

    /** Population count of {@code q op seg[off..]} over {@code len} bytes, starting at byte {@code from} of both. */
    int bitCountFrom(int op, byte[] q, MemorySegment seg, long off, int from, int len) {
        int n = 0;
        int i = from;
        for (; i + 7 < len; i += 8) {
            n += Long.bitCount(combine(op, (long) LONGS.get(q, i), seg.get(LE_LONG, off + i)));
        }
        for (; i < len; i++) {
            n += Long.bitCount(combine(op, q[i] & 0xffL, seg.get(ValueLayout.JAVA_BYTE, off + i) & 0xffL));
        }
        return n;
    }

    private int bitCount(int op, byte[] q, MemorySegment seg, long off, int len) {
        return bitCountFrom(op, q, seg, off, 0, len);
    }

    private static long combine(int op, long a, long b) {
        return switch (op) {
            case BIT_XOR -> a ^ b;
            case BIT_AND -> a & b;
            default -> a | b;
        };
    }
}
