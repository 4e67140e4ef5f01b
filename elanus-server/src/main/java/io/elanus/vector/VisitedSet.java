package io.elanus.vector;

/**
 * Visited marks for graph searches: one bit per node, so the table stays in the innermost caches
 * (a node's mark is probed for every neighbour examined). A reset zeroes it whole: count / 8 bytes,
 * which measured cheaper than tracking the marked words or stamping a byte per node.
 */
final class VisitedSet {
    private long[] bits = new long[0];

    /** Clears the set and makes room for node ids below {@code capacity}. */
    void reset(int capacity) {
        int words = (capacity + 63) >>> 6;
        if (bits.length < words) {
            bits = new long[words];
        } else {
            java.util.Arrays.fill(bits, 0, words, 0L);
        }
    }

    /**
     * Marks {@code node}; returns 1 when it was not marked yet, else 0. Branch-free, for collecting
     * the unvisited among a node's neighbours (whether a neighbour was seen is unpredictable).
     */
    int mark(int node) {
        long word = bits[node >>> 6];
        bits[node >>> 6] = word | (1L << node);
        return (int) (~word >>> node) & 1;
    }

    /** Marks {@code node}; returns false when it was already marked. */
    boolean visit(int node) {
        return mark(node) == 1;
    }
}
