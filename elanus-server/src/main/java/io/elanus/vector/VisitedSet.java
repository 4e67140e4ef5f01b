package io.elanus.vector;

/** Visited marks for graph searches, cleared in O(1) by bumping a generation stamp. */
final class VisitedSet {
    private int[] stamps = new int[0];
    private int generation;

    /** Clears the set and makes room for node ids below {@code capacity}. */
    void reset(int capacity) {
        if (stamps.length < capacity) {
            stamps = new int[capacity];
            generation = 0;
        }
        if (++generation == 0) {
            java.util.Arrays.fill(stamps, 0);
            generation = 1;
        }
    }

    /** Marks {@code node}; returns false when it was already marked. */
    boolean visit(int node) {
        if (stamps[node] == generation) {
            return false;
        }
        stamps[node] = generation;
        return true;
    }
}
