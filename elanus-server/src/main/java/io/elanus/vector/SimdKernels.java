package io.elanus.vector;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * Kernels on the Vector API at the platform's preferred width. Main loops run two accumulators
 * (to hide FMA latency); tails shorter than one vector fall back to {@link ScalarKernels}.
 */
public final class SimdKernels implements VectorKernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED.vectorBitSize() >= 256
            ? IntVector.SPECIES_PREFERRED : IntVector.SPECIES_256;
    /** Bytes that widen to exactly one {@link #I} vector of ints. */
    private static final VectorSpecies<Byte> I8 = VectorSpecies.of(byte.class, VectorShape.forBitSize(I.vectorBitSize() / 4));
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Long> WORDS = VectorSpecies.of(long.class, B.vectorShape());
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ScalarKernels TAIL = ScalarKernels.INSTANCE;

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
        for (; i + step <= len; i += step) {
            acc0 = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), acc0);
        }
        float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        return i == len ? sum : sum + TAIL.dot(a, aOff + i, b, bOff + i, len - i);
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
        for (; i + step <= len; i += step) {
            FloatVector d = FloatVector.fromArray(F, a, aOff + i).sub(FloatVector.fromArray(F, b, bOff + i));
            acc0 = d.fma(d, acc0);
        }
        float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        return i == len ? sum : sum + TAIL.l2sq(a, aOff + i, b, bOff + i, len - i);
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
        for (; i + step <= len; i += step) {
            acc0 = FloatVector.fromArray(F, q, i).fma(FloatVector.fromMemorySegment(F, seg, off + 4L * i, LE), acc0);
        }
        float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
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
        for (; i + step <= len; i += step) {
            FloatVector d = FloatVector.fromArray(F, q, i).sub(FloatVector.fromMemorySegment(F, seg, off + 4L * i, LE));
            acc0 = d.fma(d, acc0);
        }
        float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; i < len; i++) {
            float d = q[i] - seg.get(ScalarKernels.LE_FLOAT, off + 4L * i);
            sum += d * d;
        }
        return sum;
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
