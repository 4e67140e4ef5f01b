package io.elanus.vector;

/**
 * Visited marks for graph searches, cleared in O(1) by bumping a generation stamp. Stamps are bytes
 * so the table stays cache-resident (a node's stamp is probed for every neighbour examined); the
 * table is zeroed once every 255 generations.
 */
final class VisitedSet {
    private byte[] stamps = new byte[0];
    private byte generation;

    /** Clears the set and makes room for node ids below {@code capacity}. */
    void reset(int capacity) {
        if (stamps.length < capacity) {
            stamps = new byte[capacity];
            generation = 0;
        }
        if (++generation == 0) {
            java.util.Arrays.fill(stamps, (byte) 0);
            generation = 1;
        }
    }

    /**
     * Marks {@code node}; returns 1 when it was not marked yet, else 0. Branch-free, for collecting
     * the unvisited among a node's neighbours (whether a neighbour was seen is unpredictable).
     */
    int mark(int node) {
        byte before = stamps[node];
        stamps[node] = generation;
        return before != generation ? 1 : 0;
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
