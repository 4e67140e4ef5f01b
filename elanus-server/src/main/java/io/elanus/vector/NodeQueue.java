package io.elanus.vector;

/** Growable min-heap of (cost, node) pairs, as {@link TopKHeap#key} longs: the candidate frontier of a graph search. */
final class NodeQueue {
    private long[] keys = new long[64];
    private int size;

    void clear() {
        size = 0;
    }

    boolean isEmpty() {
        return size == 0;
    }

    float peekCost() {
        return TopKHeap.costOf(keys[0]);
    }

    int peekNode() {
        return TopKHeap.rowOf(keys[0]);
    }

    void push(float cost, int node) {
        if (size == keys.length) {
            keys = java.util.Arrays.copyOf(keys, size * 2);
        }
        long key = TopKHeap.key(cost, node);
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (keys[parent] <= key) {
                break;
            }
            keys[i] = keys[parent];
            i = parent;
        }
        keys[i] = key;
    }

    /** Removes the cheapest entry (read it first with {@link #peekCost}/{@link #peekNode}). */
    void pop() {
        size--;
        if (size == 0) {
            return;
        }
        long key = keys[size];
        int i = 0;
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            long smaller = keys[child];
            if (child + 1 < size) {
                // Which child is smaller is a coin toss: selects instead of branching.
                long right = keys[child + 1];
                boolean takeRight = right < smaller;
                child = takeRight ? child + 1 : child;
                smaller = takeRight ? right : smaller;
            }
            if (smaller >= key) {
                break;
            }
            keys[i] = smaller;
            i = child;
        }
        keys[i] = key;
    }
}
