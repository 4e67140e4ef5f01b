package io.elanus.vector;

import java.lang.foreign.MemorySegment;

/**
 * HNSW adjacency in flat int tables. Level 0 gives every node a slot of {@code 1 + 2M} ints (count,
 * then neighbours); a node on level {@code L >= 1} owns {@code L} slots of {@code 1 + M} ints in the
 * upper table, starting at its entry of {@code upperOffsets} (-1 for level-0-only nodes).
 */
final class HnswGraph {
    private HnswGraph() {
    }

    static int slot0(int m) {
        return 1 + 2 * m;
    }

    /** The mutable form used while building. */
    static final class Heap {
        final int count;
        final int m;
        final byte[] levels;
        final int[] level0;
        final int[] upperOffsets;
        final int[] upper;
        int entryPoint = -1;
        int maxLevel = -1;

        Heap(int count, int m, byte[] levels) {
            this.count = count;
            this.m = m;
            this.levels = levels;
            if ((long) count * slot0(m) > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("HNSW graph too large for one segment: " + count + " vectors with M=" + m);
            }
            this.level0 = new int[count * slot0(m)];
            this.upperOffsets = new int[count];
            int next = 0;
            for (int i = 0; i < count; i++) {
                if (levels[i] > 0) {
                    upperOffsets[i] = next;
                    next += levels[i] * (m + 1);
                } else {
                    upperOffsets[i] = -1;
                }
            }
            this.upper = new int[next];
        }

        int capacity(int level) {
            return level == 0 ? 2 * m : m;
        }

        int base(int node, int level) {
            return level == 0 ? node * slot0(m) : upperOffsets[node] + (level - 1) * (m + 1);
        }

        int[] links(int level) {
            return level == 0 ? level0 : upper;
        }

        Mapped toOffHeap() {
            return new Mapped(m, entryPoint, maxLevel, OffHeap.ints(level0), OffHeap.ints(upperOffsets), OffHeap.ints(upper));
        }
    }

    /** The read-only form searches use: off-heap tables, built or memory-mapped. */
    record Mapped(int m, int entryPoint, int maxLevel, MemorySegment level0, MemorySegment upperOffsets, MemorySegment upper) {
        /** Byte offset of the count int of {@code node}'s slot at {@code level}. */
        long slot(int node, int level) {
            if (level == 0) {
                return 4L * node * slot0(m);
            }
            return 4L * (upperOffsets.get(OffHeap.INT, 4L * node) + (long) (level - 1) * (m + 1));
        }

        MemorySegment table(int level) {
            return level == 0 ? level0 : upper;
        }
    }
}
