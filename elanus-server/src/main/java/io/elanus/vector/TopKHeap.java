package io.elanus.vector;

import java.util.Arrays;

/**
 * Bounded max-heap of (cost, row) pairs keeping the k smallest costs; cost is a score turned
 * "smaller is better" (see {@link #cost}). Ties rank the smaller row first. Reusable via {@link #reset}.
 * Each pair is one long ({@link #key}) ordered like (cost, row), so a comparison is a single compare.
 */
final class TopKHeap {
    private long[] keys = new long[16];
    private int size;
    private int k;
    /** The cost of the worst kept pair once full; +infinity before. */
    private float threshold = Float.POSITIVE_INFINITY;

    static float cost(MetricType metric, float score) {
        return metric.largerIsBetter() ? -score : score;
    }

    /**
     * A long ordered like (cost, row): the cost's bits made to sort as signed ints (negative floats
     * have their magnitude bits flipped) above the row. -0.0 sorts just below +0.0.
     */
    static long key(float cost, int row) {
        return ((long) sortable(Float.floatToRawIntBits(cost)) << 32) | (row & 0xffffffffL);
    }

    static float costOf(long key) {
        return Float.intBitsToFloat(sortable((int) (key >>> 32)));
    }

    static int rowOf(long key) {
        return (int) key;
    }

    /** Its own inverse. */
    private static int sortable(int bits) {
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    void reset(int k) {
        if (keys.length < k) {
            keys = new long[k];
        }
        this.k = k;
        size = 0;
        threshold = Float.POSITIVE_INFINITY;
    }

    int size() {
        return size;
    }

    boolean isFull() {
        return size == k;
    }

    /** The cost a candidate must beat to enter; +infinity while not full. */
    float threshold() {
        return threshold;
    }

    void offer(float cost, int row) {
        if (size < k) {
            siftUp(size++, key(cost, row));
            if (size == k) {
                threshold = costOf(keys[0]);
            }
        } else if (k > 0 && cost <= threshold) {
            long key = key(cost, row);
            if (key < keys[0]) {
                siftDown(key);
                threshold = costOf(keys[0]);
            }
        }
    }

    /** Removes the worst entry and returns its row. */
    int pollWorstRow() {
        int row = rowOf(keys[0]);
        size--;
        if (size > 0) {
            siftDown(keys[size]);
        }
        threshold = Float.POSITIVE_INFINITY;
        return row;
    }

    /** Empties the heap into {@code outRows/outScores[base .. base+width)} best-first, padding with row -1. */
    void drainInto(MetricType metric, int[] outRows, float[] outScores, int base, int width) {
        Arrays.fill(outRows, base + size, base + width, -1);
        Arrays.fill(outScores, base + size, base + width, metric.worstScore());
        while (size > 0) {
            int at = base + size - 1;
            float c = costOf(keys[0]);
            outRows[at] = pollWorstRow();
            outScores[at] = metric.largerIsBetter() ? -c : c;
        }
    }

    /** Empties the heap into {@code outRows/outCosts[0 .. size)} cheapest first; returns the count. */
    int drainSorted(int[] outRows, float[] outCosts) {
        int n = size;
        while (size > 0) {
            outCosts[size - 1] = costOf(keys[0]);
            outRows[size - 1] = pollWorstRow();
        }
        return n;
    }

    private void siftUp(int i, long key) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (keys[parent] >= key) {
                break;
            }
            keys[i] = keys[parent];
            i = parent;
        }
        keys[i] = key;
    }

    /** Places {@code key} at the root and sifts it down. */
    private void siftDown(long key) {
        int i = 0;
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            long larger = keys[child];
            if (child + 1 < size) {
                // Which child is larger is a coin toss: selects instead of branching.
                long right = keys[child + 1];
                boolean takeRight = right > larger;
                child = takeRight ? child + 1 : child;
                larger = takeRight ? right : larger;
            }
            if (larger <= key) {
                break;
            }
            keys[i] = larger;
            i = child;
        }
        keys[i] = key;
    }
}
