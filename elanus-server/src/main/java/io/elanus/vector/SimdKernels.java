package io.elanus.vector;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Kernels on the Vector API at the platform's preferred width. Main loops run two accumulators
 * (to hide FMA latency). Float tails shorter than one vector use half- and quarter-width vectors
 * before a scalar remainder: a scalar tail of a few lanes costs more than the whole vector loop.
 */
public final class SimdKernels implements VectorKernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Half and quarter of {@link #F} for tails, or null below 128 bits (tails then go scalar). */
    private static final VectorSpecies<Float> F_HALF = narrower(F, 2);
    private static final VectorSpecies<Float> F_QUARTER = narrower(F, 4);
    /** Bytes that widen to one {@link #F} (or {@link #F_HALF}) vector; null when under 64 bits (int8 rows then go scalar). */
    private static final VectorSpecies<Byte> F_BYTES = bytesOf(F);
    private static final VectorSpecies<Byte> F_HALF_BYTES = F_HALF == null ? null : bytesOf(F_HALF);
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED.vectorBitSize() >= 256
            ? IntVector.SPECIES_PREFERRED : IntVector.SPECIES_256;
    /** Bytes that widen to exactly one {@link #I} vector of ints. */
    private static final VectorSpecies<Byte> I8 = VectorSpecies.of(byte.class, VectorShape.forBitSize(I.vectorBitSize() / 4));
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Long> WORDS = VectorSpecies.of(long.class, B.vectorShape());
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ScalarKernels TAIL = ScalarKernels.INSTANCE;

    private static VectorSpecies<Float> narrower(VectorSpecies<Float> species, int divisor) {
        int bits = species.vectorBitSize() / divisor;
        return bits >= 128 ? VectorSpecies.of(float.class, VectorShape.forBitSize(bits)) : null;
    }

    private static VectorSpecies<Byte> bytesOf(VectorSpecies<Float> floats) {
        int bits = floats.length() * 8;
        return bits >= 64 ? VectorSpecies.of(byte.class, VectorShape.forBitSize(bits)) : null;
    }

    @Override
    public String name() {
        return "simd-" + F.vectorBitSize();
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int len) {
        int step = F.length();
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        int i = 0;
        for (; i + 2 * step <= len; i += 2 * step) {
            acc0 = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), acc0);
            acc1 = FloatVector.fromArray(F, a, aOff + i + step).fma(FloatVector.fromArray(F, b, bOff + i + step), acc1);
        }
        if (i + step <= len) {
            acc0 = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), acc0);
            i += step;
        }
        return acc0.add(acc1).reduceLanes(VectorOperators.ADD) + dotTail(a, aOff, b, bOff, i, len);
    }

    /** The dot product over {@code [from, len)}, shorter than one {@link #F} vector. */
    private static float dotTail(float[] a, int aOff, float[] b, int bOff, int from, int len) {
        float sum = 0;
        int i = from;
        if (F_HALF != null && i + F_HALF.length() <= len) {
            sum += FloatVector.fromArray(F_HALF, a, aOff + i).mul(FloatVector.fromArray(F_HALF, b, bOff + i)).reduceLanes(VectorOperators.ADD);
            i += F_HALF.length();
        }
        if (F_QUARTER != null && i + F_QUARTER.length() <= len) {
            sum += FloatVector.fromArray(F_QUARTER, a, aOff + i).mul(FloatVector.fromArray(F_QUARTER, b, bOff + i)).reduceLanes(VectorOperators.ADD);
            i += F_QUARTER.length();
        }
        for (; i < len; i++) {
            sum += a[aOff + i] * b[bOff + i];
        }
        return sum;
    }

    @Override
    public float l2sq(float[] a, int aOff, float[] b, int bOff, int len) {
        int step = F.length();
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        int i = 0;
        for (; i + 2 * step <= len; i += 2 * step) {
            FloatVector d0 = FloatVector.fromArray(F, a, aOff + i).sub(FloatVector.fromArray(F, b, bOff + i));
            FloatVector d1 = FloatVector.fromArray(F, a, aOff + i + step).sub(FloatVector.fromArray(F, b, bOff + i + step));
            acc0 = d0.fma(d0, acc0);
            acc1 = d1.fma(d1, acc1);
        }
        if (i + step <= len) {
            FloatVector d = FloatVector.fromArray(F, a, aOff + i).sub(FloatVector.fromArray(F, b, bOff + i));
            acc0 = d.fma(d, acc0);
            i += step;
        }
        return acc0.add(acc1).reduceLanes(VectorOperators.ADD) + l2sqTail(a, aOff, b, bOff, i, len);
    }

    private static float l2sqTail(float[] a, int aOff, float[] b, int bOff, int from, int len) {
        float sum = 0;
        int i = from;
        if (F_HALF != null && i + F_HALF.length() <= len) {
            FloatVector d = FloatVector.fromArray(F_HALF, a, aOff + i).sub(FloatVector.fromArray(F_HALF, b, bOff + i));
            sum += d.mul(d).reduceLanes(VectorOperators.ADD);
            i += F_HALF.length();
        }
        if (F_QUARTER != null && i + F_QUARTER.length() <= len) {
            FloatVector d = FloatVector.fromArray(F_QUARTER, a, aOff + i).sub(FloatVector.fromArray(F_QUARTER, b, bOff + i));
            sum += d.mul(d).reduceLanes(VectorOperators.ADD);
            i += F_QUARTER.length();
        }
        for (; i < len; i++) {
            float d = a[aOff + i] - b[bOff + i];
            sum += d * d;
        }
        return sum;
    }

    @Override
    public float dot(float[] q, MemorySegment seg, long off, int len) {
        int step = F.length();
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        int i = 0;
        for (; i + 2 * step <= len; i += 2 * step) {
            acc0 = FloatVector.fromArray(F, q, i).fma(FloatVector.fromMemorySegment(F, seg, off + 4L * i, LE), acc0);
            acc1 = FloatVector.fromArray(F, q, i + step).fma(FloatVector.fromMemorySegment(F, seg, off + 4L * (i + step), LE), acc1);
        }
        if (i + step <= len) {
            acc0 = FloatVector.fromArray(F, q, i).fma(FloatVector.fromMemorySegment(F, seg, off + 4L * i, LE), acc0);
            i += step;
        }
        return acc0.add(acc1).reduceLanes(VectorOperators.ADD) + dotTail(q, seg, off, i, len);
    }

    private static float dotTail(float[] q, MemorySegment seg, long off, int from, int len) {
        float sum = 0;
        int i = from;
        if (F_HALF != null && i + F_HALF.length() <= len) {
            sum += FloatVector.fromArray(F_HALF, q, i).mul(FloatVector.fromMemorySegment(F_HALF, seg, off + 4L * i, LE)).reduceLanes(VectorOperators.ADD);
            i += F_HALF.length();
        }
        if (F_QUARTER != null && i + F_QUARTER.length() <= len) {
            sum += FloatVector.fromArray(F_QUARTER, q, i).mul(FloatVector.fromMemorySegment(F_QUARTER, seg, off + 4L * i, LE)).reduceLanes(VectorOperators.ADD);
            i += F_QUARTER.length();
        }
        for (; i < len; i++) {
            sum += q[i] * seg.get(ScalarKernels.LE_FLOAT, off + 4L * i);
        }
        return sum;
    }

    @Override
    public float l2sq(float[] q, MemorySegment seg, long off, int len) {
        int step = F.length();
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        int i = 0;
        for (; i + 2 * step <= len; i += 2 * step) {
            FloatVector d0 = FloatVector.fromArray(F, q, i).sub(FloatVector.fromMemorySegment(F, seg, off + 4L * i, LE));
            FloatVector d1 = FloatVector.fromArray(F, q, i + step).sub(FloatVector.fromMemorySegment(F, seg, off + 4L * (i + step), LE));
            acc0 = d0.fma(d0, acc0);
            acc1 = d1.fma(d1, acc1);
        }
        if (i + step <= len) {
            FloatVector d = FloatVector.fromArray(F, q, i).sub(FloatVector.fromMemorySegment(F, seg, off + 4L * i, LE));
            acc0 = d.fma(d, acc0);
            i += step;
        }
        return acc0.add(acc1).reduceLanes(VectorOperators.ADD) + l2sqTail(q, seg, off, i, len);
    }

    private static float l2sqTail(float[] q, MemorySegment seg, long off, int from, int len) {
        float sum = 0;
        int i = from;
        if (F_HALF != null && i + F_HALF.length() <= len) {
            FloatVector d = FloatVector.fromArray(F_HALF, q, i).sub(FloatVector.fromMemorySegment(F_HALF, seg, off + 4L * i, LE));
            sum += d.mul(d).reduceLanes(VectorOperators.ADD);
            i += F_HALF.length();
        }
        if (F_QUARTER != null && i + F_QUARTER.length() <= len) {
            FloatVector d = FloatVector.fromArray(F_QUARTER, q, i).sub(FloatVector.fromMemorySegment(F_QUARTER, seg, off + 4L * i, LE));
            sum += d.mul(d).reduceLanes(VectorOperators.ADD);
            i += F_QUARTER.length();
        }
        for (; i < len; i++) {
            float d = q[i] - seg.get(ScalarKernels.LE_FLOAT, off + 4L * i);
            sum += d * d;
        }
        return sum;
    }

    @Override
    public void dotRows(float[] q, MemorySegment seg, int[] ids, int n, int len, float[] out) {
        long rowBytes = 4L * len;
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            dot4(q, seg, ids[j] * rowBytes, ids[j + 1] * rowBytes, ids[j + 2] * rowBytes, ids[j + 3] * rowBytes, len, out, j);
        }
        for (; j < n; j++) {
            out[j] = dot(q, seg, ids[j] * rowBytes, len);
        }
    }

    /** Four rows at once, each summed in exactly the order of {@link #dot(float[], MemorySegment, long, int)}. */
    private static void dot4(float[] q, MemorySegment seg, long o0, long o1, long o2, long o3, int len, float[] out, int at) {
        int step = F.length();
        FloatVector a0 = FloatVector.zero(F), b0 = a0, a1 = a0, b1 = a0, a2 = a0, b2 = a0, a3 = a0, b3 = a0;
        int i = 0;
        for (; i + 2 * step <= len; i += 2 * step) {
            FloatVector x = FloatVector.fromArray(F, q, i);
            FloatVector y = FloatVector.fromArray(F, q, i + step);
            long p = 4L * i;
            long r = 4L * (i + step);
            a0 = x.fma(FloatVector.fromMemorySegment(F, seg, o0 + p, LE), a0);
            b0 = y.fma(FloatVector.fromMemorySegment(F, seg, o0 + r, LE), b0);
            a1 = x.fma(FloatVector.fromMemorySegment(F, seg, o1 + p, LE), a1);
            b1 = y.fma(FloatVector.fromMemorySegment(F, seg, o1 + r, LE), b1);
            a2 = x.fma(FloatVector.fromMemorySegment(F, seg, o2 + p, LE), a2);
            b2 = y.fma(FloatVector.fromMemorySegment(F, seg, o2 + r, LE), b2);
            a3 = x.fma(FloatVector.fromMemorySegment(F, seg, o3 + p, LE), a3);
            b3 = y.fma(FloatVector.fromMemorySegment(F, seg, o3 + r, LE), b3);
        }
        if (i + step <= len) {
            FloatVector x = FloatVector.fromArray(F, q, i);
            long p = 4L * i;
            a0 = x.fma(FloatVector.fromMemorySegment(F, seg, o0 + p, LE), a0);
            a1 = x.fma(FloatVector.fromMemorySegment(F, seg, o1 + p, LE), a1);
            a2 = x.fma(FloatVector.fromMemorySegment(F, seg, o2 + p, LE), a2);
            a3 = x.fma(FloatVector.fromMemorySegment(F, seg, o3 + p, LE), a3);
            i += step;
        }
        out[at] = a0.add(b0).reduceLanes(VectorOperators.ADD) + dotTail(q, seg, o0, i, len);
        out[at + 1] = a1.add(b1).reduceLanes(VectorOperators.ADD) + dotTail(q, seg, o1, i, len);
        out[at + 2] = a2.add(b2).reduceLanes(VectorOperators.ADD) + dotTail(q, seg, o2, i, len);
        out[at + 3] = a3.add(b3).reduceLanes(VectorOperators.ADD) + dotTail(q, seg, o3, i, len);
    }

    @Override
    public void l2sqRows(float[] q, MemorySegment seg, int[] ids, int n, int len, float[] out) {
        long rowBytes = 4L * len;
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            l2sq4(q, seg, ids[j] * rowBytes, ids[j + 1] * rowBytes, ids[j + 2] * rowBytes, ids[j + 3] * rowBytes, len, out, j);
        }
        for (; j < n; j++) {
            out[j] = l2sq(q, seg, ids[j] * rowBytes, len);
        }
    }

    /** Four rows at once, each summed in exactly the order of {@link #l2sq(float[], MemorySegment, long, int)}. */
    private static void l2sq4(float[] q, MemorySegment seg, long o0, long o1, long o2, long o3, int len, float[] out, int at) {
        int step = F.length();
        FloatVector a0 = FloatVector.zero(F), b0 = a0, a1 = a0, b1 = a0, a2 = a0, b2 = a0, a3 = a0, b3 = a0;
        int i = 0;
        for (; i + 2 * step <= len; i += 2 * step) {
            FloatVector x = FloatVector.fromArray(F, q, i);
            FloatVector y = FloatVector.fromArray(F, q, i + step);
            long p = 4L * i;
            long r = 4L * (i + step);
            FloatVector d = x.sub(FloatVector.fromMemorySegment(F, seg, o0 + p, LE));
            FloatVector e = y.sub(FloatVector.fromMemorySegment(F, seg, o0 + r, LE));
            a0 = d.fma(d, a0);
            b0 = e.fma(e, b0);
            d = x.sub(FloatVector.fromMemorySegment(F, seg, o1 + p, LE));
            e = y.sub(FloatVector.fromMemorySegment(F, seg, o1 + r, LE));
            a1 = d.fma(d, a1);
            b1 = e.fma(e, b1);
            d = x.sub(FloatVector.fromMemorySegment(F, seg, o2 + p, LE));
            e = y.sub(FloatVector.fromMemorySegment(F, seg, o2 + r, LE));
            a2 = d.fma(d, a2);
            b2 = e.fma(e, b2);
            d = x.sub(FloatVector.fromMemorySegment(F, seg, o3 + p, LE));
            e = y.sub(FloatVector.fromMemorySegment(F, seg, o3 + r, LE));
            a3 = d.fma(d, a3);
            b3 = e.fma(e, b3);
        }
        if (i + step <= len) {
            FloatVector x = FloatVector.fromArray(F, q, i);
            long p = 4L * i;
            FloatVector d = x.sub(FloatVector.fromMemorySegment(F, seg, o0 + p, LE));
            a0 = d.fma(d, a0);
            d = x.sub(FloatVector.fromMemorySegment(F, seg, o1 + p, LE));
            a1 = d.fma(d, a1);
            d = x.sub(FloatVector.fromMemorySegment(F, seg, o2 + p, LE));
            a2 = d.fma(d, a2);
            d = x.sub(FloatVector.fromMemorySegment(F, seg, o3 + p, LE));
            a3 = d.fma(d, a3);
            i += step;
        }
        out[at] = a0.add(b0).reduceLanes(VectorOperators.ADD) + l2sqTail(q, seg, o0, i, len);
        out[at + 1] = a1.add(b1).reduceLanes(VectorOperators.ADD) + l2sqTail(q, seg, o1, i, len);
        out[at + 2] = a2.add(b2).reduceLanes(VectorOperators.ADD) + l2sqTail(q, seg, o2, i, len);
        out[at + 3] = a3.add(b3).reduceLanes(VectorOperators.ADD) + l2sqTail(q, seg, o3, i, len);
    }

    @Override
    public float int8Dot(float[] q, MemorySegment seg, long off, int len) {
        if (F_BYTES == null) {
            return TAIL.int8Dot(q, seg, off, len);
        }
        int step = F.length();
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        int i = 0;
        for (; i + 2 * step <= len; i += 2 * step) {
            acc0 = FloatVector.fromArray(F, q, i).fma(widen(seg, off + i), acc0);
            acc1 = FloatVector.fromArray(F, q, i + step).fma(widen(seg, off + i + step), acc1);
        }
        if (i + step <= len) {
            acc0 = FloatVector.fromArray(F, q, i).fma(widen(seg, off + i), acc0);
            i += step;
        }
        float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        if (F_HALF_BYTES != null && i + F_HALF.length() <= len) {
            sum += FloatVector.fromArray(F_HALF, q, i).mul(widenHalf(seg, off + i)).reduceLanes(VectorOperators.ADD);
            i += F_HALF.length();
        }
        for (; i < len; i++) {
            sum += q[i] * seg.get(ValueLayout.JAVA_BYTE, off + i);
        }
        return sum;
    }

    @Override
    public float int8L2sq(float[] q, MemorySegment seg, long off, int len) {
        if (F_BYTES == null) {
            return TAIL.int8L2sq(q, seg, off, len);
        }
        int step = F.length();
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        int i = 0;
        for (; i + 2 * step <= len; i += 2 * step) {
            FloatVector d0 = FloatVector.fromArray(F, q, i).sub(widen(seg, off + i));
            FloatVector d1 = FloatVector.fromArray(F, q, i + step).sub(widen(seg, off + i + step));
            acc0 = d0.fma(d0, acc0);
            acc1 = d1.fma(d1, acc1);
        }
        if (i + step <= len) {
            FloatVector d = FloatVector.fromArray(F, q, i).sub(widen(seg, off + i));
            acc0 = d.fma(d, acc0);
            i += step;
        }
        float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        if (F_HALF_BYTES != null && i + F_HALF.length() <= len) {
            FloatVector d = FloatVector.fromArray(F_HALF, q, i).sub(widenHalf(seg, off + i));
            sum += d.mul(d).reduceLanes(VectorOperators.ADD);
            i += F_HALF.length();
        }
        for (; i < len; i++) {
            float d = q[i] - seg.get(ValueLayout.JAVA_BYTE, off + i);
            sum += d * d;
        }
        return sum;
    }

    /** {@link #F}-many signed bytes at {@code off}, as floats. */
    private static FloatVector widen(MemorySegment seg, long off) {
        return (FloatVector) ByteVector.fromMemorySegment(F_BYTES, seg, off, LE).convertShape(VectorOperators.B2F, F, 0);
    }

    private static FloatVector widenHalf(MemorySegment seg, long off) {
        return (FloatVector) ByteVector.fromMemorySegment(F_HALF_BYTES, seg, off, LE).convertShape(VectorOperators.B2F, F_HALF, 0);
    }

    @Override
    public int int8Dot(byte[] a, int aOff, byte[] b, int bOff, int len) {
        int step = I8.length();
        IntVector acc = IntVector.zero(I);
        int i = 0;
        for (; i + step <= len; i += step) {
            IntVector va = (IntVector) ByteVector.fromArray(I8, a, aOff + i).convertShape(VectorOperators.B2I, I, 0);
            IntVector vb = (IntVector) ByteVector.fromArray(I8, b, bOff + i).convertShape(VectorOperators.B2I, I, 0);
            acc = acc.add(va.mul(vb));
        }
        int sum = acc.reduceLanes(VectorOperators.ADD);
        return i == len ? sum : sum + TAIL.int8Dot(a, aOff + i, b, bOff + i, len - i);
    }

    @Override
    public int int8L2sq(byte[] a, int aOff, byte[] b, int bOff, int len) {
        int step = I8.length();
        IntVector acc = IntVector.zero(I);
        int i = 0;
        for (; i + step <= len; i += step) {
            IntVector va = (IntVector) ByteVector.fromArray(I8, a, aOff + i).convertShape(VectorOperators.B2I, I, 0);
            IntVector vb = (IntVector) ByteVector.fromArray(I8, b, bOff + i).convertShape(VectorOperators.B2I, I, 0);
            IntVector d = va.sub(vb);
            acc = acc.add(d.mul(d));
        }
        int sum = acc.reduceLanes(VectorOperators.ADD);
        return i == len ? sum : sum + TAIL.int8L2sq(a, aOff + i, b, bOff + i, len - i);
    }

    @Override
    public int hamming(byte[] a, int aOff, byte[] b, int bOff, int len) {
        return bitCount(VectorOperators.XOR, a, aOff, b, bOff, len) + (tail(len) == 0 ? 0
                : TAIL.hamming(a, aOff + len - tail(len), b, bOff + len - tail(len), tail(len)));
    }

    @Override
    public int andCount(byte[] a, int aOff, byte[] b, int bOff, int len) {
        return bitCount(VectorOperators.AND, a, aOff, b, bOff, len) + (tail(len) == 0 ? 0
                : TAIL.andCount(a, aOff + len - tail(len), b, bOff + len - tail(len), tail(len)));
    }

    @Override
    public int orCount(byte[] a, int aOff, byte[] b, int bOff, int len) {
        return bitCount(VectorOperators.OR, a, aOff, b, bOff, len) + (tail(len) == 0 ? 0
                : TAIL.orCount(a, aOff + len - tail(len), b, bOff + len - tail(len), tail(len)));
    }

    /** One pass counting both {@code a & b} and {@code a | b}, each with a constant operator (see {@link #bitCount}). */
    @Override
    public float jaccard(byte[] a, int aOff, byte[] b, int bOff, int len) {
        int bound = len - tail(len);
        LongVector and = LongVector.zero(WORDS);
        LongVector or = LongVector.zero(WORDS);
        for (int i = 0; i < bound; i += B.length()) {
            ByteVector va = ByteVector.fromArray(B, a, aOff + i);
            ByteVector vb = ByteVector.fromArray(B, b, bOff + i);
            and = and.add(va.and(vb).reinterpretAsLongs().lanewise(VectorOperators.BIT_COUNT));
            or = or.add(va.or(vb).reinterpretAsLongs().lanewise(VectorOperators.BIT_COUNT));
        }
        int rest = len - bound;
        return VectorKernels.jaccardOf(
                (int) and.reduceLanes(VectorOperators.ADD) + TAIL.andCount(a, aOff + bound, b, bOff + bound, rest),
                (int) or.reduceLanes(VectorOperators.ADD) + TAIL.orCount(a, aOff + bound, b, bOff + bound, rest));
    }

    private static int tail(int len) {
        return len % B.length();
    }

    /** Population count of {@code op(a, b)} over the whole vectors of the first {@code len} bytes. */
    private static int bitCount(VectorOperators.Binary op, byte[] a, int aOff, byte[] b, int bOff, int len) {
        int step = B.length();
        int bound = len - tail(len);
        if (bound == 0) {
            return 0;
        }
        LongVector acc = LongVector.zero(WORDS);
        for (int i = 0; i < bound; i += step) {
            LongVector words = ByteVector.fromArray(B, a, aOff + i).lanewise(op, ByteVector.fromArray(B, b, bOff + i)).reinterpretAsLongs();
            acc = acc.add(words.lanewise(VectorOperators.BIT_COUNT));
        }
        return (int) acc.reduceLanes(VectorOperators.ADD);
    }

    @Override
    public int hamming(byte[] q, MemorySegment seg, long off, int len) {
        int bound = len - tail(len);
        return bitCount(VectorOperators.XOR, q, seg, off, bound) + TAIL.bitCountFrom(ScalarKernels.BIT_XOR, q, seg, off, bound, len);
    }

    @Override
    public int andCount(byte[] q, MemorySegment seg, long off, int len) {
        int bound = len - tail(len);
        return bitCount(VectorOperators.AND, q, seg, off, bound) + TAIL.bitCountFrom(ScalarKernels.BIT_AND, q, seg, off, bound, len);
    }

    @Override
    public int orCount(byte[] q, MemorySegment seg, long off, int len) {
        int bound = len - tail(len);
        return bitCount(VectorOperators.OR, q, seg, off, bound) + TAIL.bitCountFrom(ScalarKernels.BIT_OR, q, seg, off, bound, len);
    }

    @Override
    public float jaccard(byte[] q, MemorySegment seg, long off, int len) {
        int bound = len - tail(len);
        LongVector and = LongVector.zero(WORDS);
        LongVector or = LongVector.zero(WORDS);
        for (int i = 0; i < bound; i += B.length()) {
            ByteVector vq = ByteVector.fromArray(B, q, i);
            ByteVector vs = ByteVector.fromMemorySegment(B, seg, off + i, LE);
            and = and.add(vq.and(vs).reinterpretAsLongs().lanewise(VectorOperators.BIT_COUNT));
            or = or.add(vq.or(vs).reinterpretAsLongs().lanewise(VectorOperators.BIT_COUNT));
        }
        return VectorKernels.jaccardOf(
                (int) and.reduceLanes(VectorOperators.ADD) + TAIL.bitCountFrom(ScalarKernels.BIT_AND, q, seg, off, bound, len),
                (int) or.reduceLanes(VectorOperators.ADD) + TAIL.bitCountFrom(ScalarKernels.BIT_OR, q, seg, off, bound, len));
    }

    private static int bitCount(VectorOperators.Binary op, byte[] q, MemorySegment seg, long off, int bound) {
        if (bound == 0) {
            return 0;
        }
        LongVector acc = LongVector.zero(WORDS);
        for (int i = 0; i < bound; i += B.length()) {
            LongVector words = ByteVector.fromArray(B, q, i).lanewise(op, ByteVector.fromMemorySegment(B, seg, off + i, LE)).reinterpretAsLongs();
            acc = acc.add(words.lanewise(VectorOperators.BIT_COUNT));
        }
        return (int) acc.reduceLanes(VectorOperators.ADD);
    }
}
