package io.elanus.vector;

import io.elanus.testkit.Seed;
import io.elanus.testkit.Seeds;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Both kernel implementations against a double-precision reference, at odd dimensions and offsets. */
@ExtendWith(Seeds.class)
class KernelEquivalenceTest {
    private static final int[] DIMS = {1, 3, 7, 8, 15, 16, 17, 31, 33, 64, 100, 129, 257, 1000};

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (VectorKernels k : List.of(VectorKernels.scalar(), new SimdKernels())) {
            for (int dim : DIMS) {
                out.add(Arguments.of(k, dim));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} dim={1}")
    @MethodSource("cases")
    void floatKernelsMatchReference(VectorKernels kernels, int dim, Seed seed) {
        Random rnd = seed.random(dim);
        float[] a = randomFloats(rnd, dim + 5);
        float[] b = randomFloats(rnd, dim + 9);
        double dot = 0, l2 = 0, aa = 0, bb = 0;
        for (int i = 0; i < dim; i++) {
            double x = a[2 + i], y = b[7 + i];
            dot += x * y;
            l2 += (x - y) * (x - y);
            aa += x * x;
            bb += y * y;
        }
        double tol = 1e-4 * dim + 1e-5;
        assertEquals(dot, kernels.dot(a, 2, b, 7, dim), tol);
        assertEquals(l2, kernels.l2sq(a, 2, b, 7, dim), tol);
        assertEquals(dot / Math.sqrt(aa * bb), kernels.cosine(a, 2, b, 7, dim), 1e-5);

        float[] q = new float[dim];
        System.arraycopy(a, 2, q, 0, dim);
        MemorySegment seg = MemorySegment.ofArray(new byte[4 * (dim + 3)]);
        for (int i = 0; i < dim; i++) {
            seg.set(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 12 + 4L * i, b[7 + i]);
        }
        assertEquals(dot, kernels.dot(q, seg, 12, dim), tol);
        assertEquals(l2, kernels.l2sq(q, seg, 12, dim), tol);
    }

    @ParameterizedTest(name = "{0} dim={1}")
    @MethodSource("cases")
    void rowKernelsEqualTheOneRowKernels(VectorKernels kernels, int dim, Seed seed) {
        Random rnd = seed.random(17L * dim);
        int rows = 9;
        MemorySegment seg = MemorySegment.ofArray(new byte[4 * rows * dim]);
        for (int i = 0; i < rows * dim; i++) {
            seg.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, (float) rnd.nextGaussian());
        }
        float[] q = randomFloats(rnd, dim);
        int[] ids = {4, 0, 8, 4, 2, 7, 1};
        float[] dots = new float[ids.length];
        float[] l2s = new float[ids.length];
        kernels.dotRows(q, seg, ids, ids.length, dim, dots);
        kernels.l2sqRows(q, seg, ids, ids.length, dim, l2s);
        // Equal up to float rounding, not bit for bit: the Vector API leaves the order of a lane
        // reduction open, and its intrinsic and its Java fallback (before the JIT compiles a kernel) differ.
        for (int j = 0; j < ids.length; j++) {
            long off = 4L * dim * ids[j];
            double magnitude = 0;
            double l2 = 0;
            for (int i = 0; i < dim; i++) {
                float x = seg.get(ValueLayout.JAVA_FLOAT_UNALIGNED, off + 4L * i);
                magnitude += Math.abs((double) q[i] * x);
                l2 += ((double) q[i] - x) * ((double) q[i] - x);
            }
            assertEquals(kernels.dot(q, seg, off, dim), dots[j], 1e-6 * magnitude + 1e-7, "dot of row " + ids[j]);
            assertEquals(kernels.l2sq(q, seg, off, dim), l2s[j], 1e-6 * l2 + 1e-7, "l2sq of row " + ids[j]);
        }
    }

    @ParameterizedTest(name = "{0} dim={1}")
    @MethodSource("cases")
    void byteKernelsMatchReference(VectorKernels kernels, int dim, Seed seed) {
        Random rnd = seed.random(31L * dim);
        byte[] a = new byte[dim + 3];
        byte[] b = new byte[dim + 6];
        rnd.nextBytes(a);
        rnd.nextBytes(b);
        a[1] = Byte.MIN_VALUE;
        b[5] = Byte.MIN_VALUE;
        int dot = 0, l2 = 0, xor = 0, and = 0, or = 0;
        for (int i = 0; i < dim; i++) {
            int x = a[1 + i], y = b[5 + i];
            dot += x * y;
            l2 += (x - y) * (x - y);
            xor += Integer.bitCount((x ^ y) & 0xff);
            and += Integer.bitCount(x & y & 0xff);
            or += Integer.bitCount((x | y) & 0xff);
        }
        assertEquals(dot, kernels.int8Dot(a, 1, b, 5, dim));
        assertEquals(l2, kernels.int8L2sq(a, 1, b, 5, dim));
        assertEquals(xor, kernels.hamming(a, 1, b, 5, dim));
        assertEquals(and, kernels.andCount(a, 1, b, 5, dim));
        assertEquals(or, kernels.orCount(a, 1, b, 5, dim));
        assertEquals(1f - (float) and / or, kernels.jaccard(a, 1, b, 5, dim), 1e-6);

        byte[] q = java.util.Arrays.copyOfRange(a, 1, 1 + dim);
        MemorySegment seg = MemorySegment.ofArray(b);
        assertEquals(xor, kernels.hamming(q, seg, 5, dim));
        assertEquals(and, kernels.andCount(q, seg, 5, dim));
        assertEquals(or, kernels.orCount(q, seg, 5, dim));
        assertEquals(1f - (float) and / or, kernels.jaccard(q, seg, 5, dim), 1e-6);

        float[] fq = randomFloats(rnd, dim);
        double fdot = 0, fl2 = 0;
        for (int i = 0; i < dim; i++) {
            double x = fq[i], y = b[5 + i];
            fdot += x * y;
            fl2 += (x - y) * (x - y);
        }
        double tol = 1e-3 * dim + 1e-4;
        assertEquals(fdot, kernels.int8Dot(fq, seg, 5, dim), tol);
        assertEquals(fl2, kernels.int8L2sq(fq, seg, 5, dim), tol * 100);
    }

    @ParameterizedTest(name = "{0} dim={1}")
    @MethodSource("cases")
    void zeroVectorsHaveNeutralSimilarity(VectorKernels kernels, int dim) {
        float[] zero = new float[dim];
        float[] one = new float[dim];
        java.util.Arrays.fill(one, 1f);
        assertEquals(0f, kernels.cosine(zero, 0, one, 0, dim));
        byte[] none = new byte[dim];
        assertEquals(0f, kernels.jaccard(none, 0, none, 0, dim));
    }

    static float[] randomFloats(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }
}
