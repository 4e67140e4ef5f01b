package io.elanus.vector;

/** Growable min-heap of (cost, node) pairs: the candidate frontier of a graph search. */
final class NodeQueue {
    private float[] costs = new float[64];
    private int[] nodes = new int[64];
    private int size;

    void clear() {
        size = 0;
    }

    boolean isEmpty() {
        return size == 0;
    }

    float peekCost() {
        return costs[0];
    }

    int peekNode() {
        return nodes[0];
    }

    void push(float cost, int node) {
        if (size == costs.length) {
            costs = java.util.Arrays.copyOf(costs, size * 2);
            nodes = java.util.Arrays.copyOf(nodes, size * 2);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (costs[parent] <= cost) {
                break;
            }
            costs[i] = costs[parent];
            nodes[i] = nodes[parent];
            i = parent;
        }
        costs[i] = cost;
        nodes[i] = node;
    }

    /** Removes the cheapest entry (read it first with {@link #peekCost}/{@link #peekNode}). */
    void pop() {
        size--;
        if (size == 0) {
            return;
        }
        float c = costs[size];
        int n = nodes[size];
        int i = 0;
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            if (child + 1 < size && costs[child + 1] < costs[child]) {
                child++;
            }
            if (costs[child] >= c) {
                break;
            }
            costs[i] = costs[child];
            nodes[i] = nodes[child];
            i = child;
        }
        costs[i] = c;
        nodes[i] = n;
    }
}
