package io.elanus.vector;

import java.lang.foreign.MemorySegment;

/**
 * Distance kernels over slices of primitive arrays (and of little-endian off-heap segments).
 * Two implementations compute the same values up to float rounding: {@link SimdKernels} (the Vector
 * API) and {@link ScalarKernels}. {@link #get()} picks one once per JVM.
 */
public interface VectorKernels {

    /** Set to {@code false} to force the scalar kernels. */
    String SIMD_PROPERTY = "elanus.simd";

    static VectorKernels get() {
        return KernelSelection.SELECTED;
    }

    static VectorKernels scalar() {
        return ScalarKernels.INSTANCE;
    }

    String name();

    float dot(float[] a, int aOff, float[] b, int bOff, int len);

    float l2sq(float[] a, int aOff, float[] b, int bOff, int len);

    /** Dot product of {@code q[0..len)} with {@code len} little-endian floats at byte offset {@code off} of {@code seg}. */
    float dot(float[] q, MemorySegment seg, long off, int len);

    /** Squared L2 distance of {@code q[0..len)} to {@code len} little-endian floats at byte offset {@code off} of {@code seg}. */
    float l2sq(float[] q, MemorySegment seg, long off, int len);

    /**
     * {@link #dot(float[], MemorySegment, long, int)} of {@code q} with rows {@code ids[0..n)} of the
     * row-major matrix of {@code len} floats per row in {@code seg}, into {@code out[0..n)}. Equal to
     * the one-row kernel up to float rounding (the Vector API does not fix the order in which a lane
     * reduction adds); scoring several rows together overlaps their memory loads.
     */
    void dotRows(float[] q, MemorySegment seg, int[] ids, int n, int len, float[] out);

    /** {@link #l2sq(float[], MemorySegment, long, int)} of rows, like {@link #dotRows}. */
    void l2sqRows(float[] q, MemorySegment seg, int[] ids, int n, int len, float[] out);

    /** Dot product of {@code q[0..len)} with {@code len} signed bytes at byte offset {@code off} of {@code seg}. */
    float int8Dot(float[] q, MemorySegment seg, long off, int len);

    /** Squared L2 distance of {@code q[0..len)} to {@code len} signed bytes at byte offset {@code off} of {@code seg}. */
    float int8L2sq(float[] q, MemorySegment seg, long off, int len);

    /** Cosine similarity; 0 when either vector is all zeros. */
    default float cosine(float[] a, int aOff, float[] b, int bOff, int len) {
        float ab = dot(a, aOff, b, bOff, len);
        float aa = dot(a, aOff, a, aOff, len);
        float bb = dot(b, bOff, b, bOff, len);
        return cosineOf(ab, aa, bb);
    }

    int int8Dot(byte[] a, int aOff, byte[] b, int bOff, int len);

    int int8L2sq(byte[] a, int aOff, byte[] b, int bOff, int len);

    /** Number of differing bits over {@code len} bytes. */
    int hamming(byte[] a, int aOff, byte[] b, int bOff, int len);

    /** Number of bits set in both, over {@code len} bytes. */
    int andCount(byte[] a, int aOff, byte[] b, int bOff, int len);

    /** Number of bits set in either, over {@code len} bytes. */
    int orCount(byte[] a, int aOff, byte[] b, int bOff, int len);

    /** Jaccard distance {@code 1 - |a & b| / |a | b|}; 0 when both are all zeros. */
    default float jaccard(byte[] a, int aOff, byte[] b, int bOff, int len) {
        return jaccardOf(andCount(a, aOff, b, bOff, len), orCount(a, aOff, b, bOff, len));
    }

    /** {@link #hamming} of {@code q[0..len)} against {@code len} bytes at {@code off} of {@code seg}. */
    int hamming(byte[] q, MemorySegment seg, long off, int len);

    int andCount(byte[] q, MemorySegment seg, long off, int len);

    int orCount(byte[] q, MemorySegment seg, long off, int len);

    default float jaccard(byte[] q, MemorySegment seg, long off, int len) {
        return jaccardOf(andCount(q, seg, off, len), orCount(q, seg, off, len));
    }

    /** Milvus's JACCARD distance from the bit counts of {@code a & b} and {@code a | b}; 0 for two empty vectors. */
    static float jaccardOf(int andCount, int orCount) {
        return orCount == 0 ? 0f : 1f - (float) andCount / orCount;
    }

    static float cosineOf(float dot, float normSqA, float normSqB) {
        double denom = Math.sqrt((double) normSqA * normSqB);
        return denom == 0 ? 0f : (float) (dot / denom);
    }
}
