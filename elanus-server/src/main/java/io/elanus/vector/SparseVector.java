package io.elanus.vector;

import java.util.Arrays;

/** A sparse vector with strictly ascending indices (duplicates in the input are summed). */
record SparseVector(int[] indices, float[] values) {

    static SparseVector sorted(int[] indices, float[] values) {
        boolean ascending = true;
        for (int i = 1; i < indices.length && ascending; i++) {
            ascending = Integer.compareUnsigned(indices[i - 1], indices[i]) < 0;
        }
        if (ascending) {
            return new SparseVector(indices, values);
        }
        long[] packed = new long[indices.length];
        for (int i = 0; i < indices.length; i++) {
            packed[i] = (Integer.toUnsignedLong(indices[i]) << 32) | i;
        }
        Arrays.sort(packed);
        int[] outIdx = new int[indices.length];
        float[] outVal = new float[indices.length];
        int n = 0;
        for (long p : packed) {
            int index = (int) (p >>> 32);
            float value = values[(int) p];
            if (n > 0 && outIdx[n - 1] == index) {
                outVal[n - 1] += value;
            } else {
                outIdx[n] = index;
                outVal[n++] = value;
            }
        }
        return new SparseVector(Arrays.copyOf(outIdx, n), Arrays.copyOf(outVal, n));
    }

    /** Whether any index of this vector appears in the ascending {@code other}. */
    boolean overlaps(int[] other) {
        int i = 0, j = 0;
        while (i < indices.length && j < other.length) {
            int c = Integer.compareUnsigned(indices[i], other[j]);
            if (c == 0) {
                return true;
            }
            if (c < 0) {
                i++;
            } else {
                j++;
            }
        }
        return false;
    }

    /** Dot product with the ascending sparse vector {@code (otherIdx, otherVal)}. */
    float dot(int[] otherIdx, float[] otherVal) {
        float sum = 0;
        int i = 0, j = 0;
        while (i < indices.length && j < otherIdx.length) {
            int c = Integer.compareUnsigned(indices[i], otherIdx[j]);
            if (c == 0) {
                sum += values[i++] * otherVal[j++];
            } else if (c < 0) {
                i++;
            } else {
                j++;
            }
        }
        return sum;
    }
}
