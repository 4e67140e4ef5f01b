package io.elanus.quota;

/**
 * Memory in use: the live heap (what the last garbage collection left, not the instantaneous use,
 * which is mostly garbage) against the maximum heap, and the off-heap memory Elanus allocated
 * against what the machine leaves beside the heap. The water level is the fuller of the two.
 */
public record MemoryUsage(long heapLive, long heapMax, long offHeap, long offHeapMax) {

    public double level() {
        double heap = heapMax <= 0 ? 0 : (double) heapLive / heapMax;
        double off = offHeapMax <= 0 ? 0 : (double) offHeap / offHeapMax;
        return Math.max(heap, off);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "heap live after GC %d MB of %d MB, off-heap %d MB of %d MB (level %.2f)",
                heapLive >> 20, heapMax >> 20, offHeap >> 20, offHeapMax >> 20, level());
    }
}
