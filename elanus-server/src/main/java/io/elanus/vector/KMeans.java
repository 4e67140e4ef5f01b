package io.elanus.vector;

import java.util.SplittableRandom;

/**
 * Lloyd's k-means on a seeded sample, with squared-L2 assignment. Empty clusters are re-seeded from a
 * random sample point so every centroid stays in use.
 */
final class KMeans {
    private static final int MAX_POINTS_PER_CENTROID = 64;
    private static final int ITERATIONS = 10;

    private KMeans() {
    }

    /**
     * Trains {@code k} centroids on the sub-vectors {@code [subOff, subOff + subDim)} of the rows of
     * {@code data} (row stride {@code dim}); returns {@code k * subDim} floats.
     */
    static float[] train(float[] data, int dim, int subOff, int subDim, int k, long seed) {
        int n = data.length / dim;
        SplittableRandom rnd = new SplittableRandom(seed);
        int sampleSize = (int) Math.min(n, (long) k * MAX_POINTS_PER_CENTROID);
        float[] sample = new float[sampleSize * subDim];
        int[] picked = sampleRows(n, sampleSize, rnd);
        for (int i = 0; i < sampleSize; i++) {
            System.arraycopy(data, picked[i] * dim + subOff, sample, i * subDim, subDim);
        }
        float[] centroids = new float[k * subDim];
        int[] firstPick = sampleRows(sampleSize, Math.min(k, sampleSize), rnd);
        for (int c = 0; c < k; c++) {
            int from = firstPick[c % firstPick.length];
            System.arraycopy(sample, from * subDim, centroids, c * subDim, subDim);
        }
        int[] assignment = new int[sampleSize];
        double[] sums = new double[k * subDim];
        int[] counts = new int[k];
        for (int iter = 0; iter < ITERATIONS; iter++) {
            for (int i = 0; i < sampleSize; i++) {
                assignment[i] = nearest(sample, i * subDim, centroids, k, subDim);
            }
            java.util.Arrays.fill(sums, 0);
            java.util.Arrays.fill(counts, 0);
            for (int i = 0; i < sampleSize; i++) {
                int c = assignment[i];
                counts[c]++;
                for (int j = 0; j < subDim; j++) {
                    sums[c * subDim + j] += sample[i * subDim + j];
                }
            }
            for (int c = 0; c < k; c++) {
                if (counts[c] == 0) {
                    System.arraycopy(sample, rnd.nextInt(sampleSize) * subDim, centroids, c * subDim, subDim);
                    continue;
                }
                for (int j = 0; j < subDim; j++) {
                    centroids[c * subDim + j] = (float) (sums[c * subDim + j] / counts[c]);
                }
            }
        }
        return centroids;
    }

    /** The centroid closest (squared L2) to {@code v[off .. off+subDim)}. */
    static int nearest(float[] v, int off, float[] centroids, int k, int subDim) {
        VectorKernels kernels = VectorKernels.get();
        int best = 0;
        float bestCost = Float.POSITIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            float d = kernels.l2sq(v, off, centroids, c * subDim, subDim);
            if (d < bestCost) {
                bestCost = d;
                best = c;
            }
        }
        return best;
    }

    private static int[] sampleRows(int n, int size, SplittableRandom rnd) {
        int[] all = DenseInput.identity(n);
        for (int i = 0; i < size; i++) {
            int j = i + rnd.nextInt(n - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return java.util.Arrays.copyOf(all, size);
    }
}
