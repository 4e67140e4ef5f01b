package io.elanus.datacoord;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The growing segments that take rows, and how many rows each was handed (in memory, like Milvus's
 * segment allocations; a restart counts from the persisted row count). One segment per
 * (collection, partition, vchannel) is open for new rows.
 *
 * <p>Guarded by this object's monitor, which is held only over these maps: never across a remote
 * call. It is datacoord's insert path: assigning rows to an open segment takes nothing else.
 * A segment leaves the moment a sealer {@link #close}s it, so it gets no row after its flush
 * timestamp is taken (see DataCoord#sealClosed).
 */
final class SegmentAllocations {
    record Key(long collectionId, long partitionId, String vchannel) {
    }

    /** What {@link #assign} did: the segment that takes the rows, or why none did. */
    sealed interface Assignment {
        record Assigned(long segmentId) implements Assignment {
        }

        /** No segment is open for the key. */
        record NoneOpen() implements Assignment {
        }

        /** The open segment had no room: it is closed now, and the caller must seal it. */
        record Full(long segmentId) implements Assignment {
        }
    }

    private static final class Growing {
        final Key key;
        final long maxRows;
        long used;

        Growing(Key key, long maxRows, long used) {
            this.key = key;
            this.maxRows = maxRows;
            this.used = used;
        }
    }

    /** Every segment not closed yet. */
    private final Map<Long, Growing> growing = new HashMap<>();
    /** The segment of each key that takes new rows. */
    private final Map<Key, Long> open = new HashMap<>();

    /**
     * Hands {@code rows} to the open segment of the key if they fit. An empty segment takes any
     * batch, so a batch larger than a segment still lands somewhere.
     */
    synchronized Assignment assign(Key key, int rows) {
        Long id = open.get(key);
        if (id == null) {
            return new Assignment.NoneOpen();
        }
        Growing g = growing.get(id);
        if (g.used == 0 || g.used + rows <= g.maxRows) {
            g.used += rows;
            return new Assignment.Assigned(id);
        }
        close(id);
        return new Assignment.Full(id);
    }

    /** A newly opened segment, already persisted, with the rows of the batch that opened it. */
    synchronized void open(Key key, long segmentId, long maxRows, long rows) {
        growing.put(segmentId, new Growing(key, maxRows, rows));
        open.putIfAbsent(key, segmentId);
    }

    /** Closes the listed segments that are still growing here; returns those (each is closed by one caller only). */
    synchronized List<Long> close(Collection<Long> segmentIds) {
        List<Long> closed = new ArrayList<>();
        for (long id : segmentIds) {
            if (close(id)) {
                closed.add(id);
            }
        }
        return closed;
    }

    private boolean close(long segmentId) {
        Growing g = growing.remove(segmentId);
        if (g == null) {
            return false;
        }
        open.remove(g.key, segmentId);
        return true;
    }

    synchronized boolean isOpen(Key key) {
        return open.containsKey(key);
    }

    /** True while the segment may still take rows (not closed). */
    synchronized boolean isGrowing(long segmentId) {
        return growing.containsKey(segmentId);
    }
}
