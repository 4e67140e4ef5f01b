package io.elanus.vector;

import java.util.Arrays;

/**
 * Bounded max-heap of (cost, row) pairs keeping the k smallest costs; cost is a score turned
 * "smaller is better" (see {@link #cost}). Ties rank the smaller row first. Reusable via {@link #reset}.
 */
final class TopKHeap {
    private float[] costs = new float[16];
    private int[] rows = new int[16];
    private int size;
    private int k;

    static float cost(MetricType metric, float score) {
        return metric.largerIsBetter() ? -score : score;
    }

    void reset(int k) {
        if (costs.length < k) {
            costs = new float[k];
            rows = new int[k];
        }
        this.k = k;
        size = 0;
    }

    int size() {
        return size;
    }

    boolean isFull() {
        return size == k;
    }

    /** The cost a candidate must beat to enter; +infinity while not full. */
    float threshold() {
        return size < k ? Float.POSITIVE_INFINITY : costs[0];
    }

    void offer(float cost, int row) {
        if (size < k) {
            costs[size] = cost;
            rows[size] = row;
            siftUp(size++);
        } else if (k > 0 && worse(costs[0], rows[0], cost, row)) {
            costs[0] = cost;
            rows[0] = row;
            siftDown(0);
        }
    }

    /** Removes the worst entry and returns its row. */
    int pollWorstRow() {
        int row = rows[0];
        size--;
        costs[0] = costs[size];
        rows[0] = rows[size];
        siftDown(0);
        return row;
    }

    /** Empties the heap into {@code outRows/outScores[base .. base+width)} best-first, padding with row -1. */
    void drainInto(MetricType metric, int[] outRows, float[] outScores, int base, int width) {
        Arrays.fill(outRows, base + size, base + width, -1);
        Arrays.fill(outScores, base + size, base + width, metric.worstScore());
        while (size > 0) {
            int at = base + size - 1;
            float c = costs[0];
            outRows[at] = pollWorstRow();
            outScores[at] = metric.largerIsBetter() ? -c : c;
        }
    }

    /** Empties the heap into {@code outRows/outCosts[0 .. size)} cheapest first; returns the count. */
    int drainSorted(int[] outRows, float[] outCosts) {
        int n = size;
        while (size > 0) {
            outCosts[size - 1] = costs[0];
            outRows[size - 1] = pollWorstRow();
        }
        return n;
    }

    private static boolean worse(float costA, int rowA, float costB, int rowB) {
        return costA > costB || (costA == costB && rowA > rowB);
    }

    private void siftUp(int i) {
        float c = costs[i];
        int r = rows[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!worse(c, r, costs[parent], rows[parent])) {
                break;
            }
            costs[i] = costs[parent];
            rows[i] = rows[parent];
            i = parent;
        }
        costs[i] = c;
        rows[i] = r;
    }

    private void siftDown(int i) {
        float c = costs[i];
        int r = rows[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && worse(costs[right], rows[right], costs[child], rows[child])) {
                child = right;
            }
            if (!worse(costs[child], rows[child], c, r)) {
                break;
            }
            costs[i] = costs[child];
            rows[i] = rows[child];
            i = child;
        }
        costs[i] = c;
        rows[i] = r;
    }
}
