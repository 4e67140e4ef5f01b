package io.elanus.quota;

/** What frees memory on request: datacoord seals a growing segment so its datanode flushes it. */
@FunctionalInterface
public interface MemoryRelief {
    /**
     * Seals the growing segment with the most unflushed data, if it holds at least
     * {@code minBufferedBytes}; true when one was sealed.
     */
    boolean sealLargestGrowingSegment(long minBufferedBytes);
}
