package io.elanus.querynode;

import io.elanus.segment.Chunk;
import io.elanus.segment.Column;
import io.elanus.segment.LongColumn;
import io.elanus.segment.StringColumn;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A segment held by a query node: growing (chunks appended from the WAL) or sealed (one chunk
 * loaded from binlogs). Keeps a primary-key index so deletes find their rows. Mutated only by the
 * owning delegator's consumer thread under its write lock; read by searches under the read lock.
 */
final class LoadedSegment {
    final long id;
    final long partitionId;
    final boolean sealed;
    private final long pkFieldId;
    private final List<LoadedChunk> chunks = new ArrayList<>();
    /** primary key -> positions packed as (chunk index << 32 | row). */
    private final Map<Object, long[]> pkIndex = new HashMap<>();
    private long rows;

    LoadedSegment(long id, long partitionId, boolean sealed, long pkFieldId) {
        this.id = id;
        this.partitionId = partitionId;
        this.sealed = sealed;
        this.pkFieldId = pkFieldId;
    }

    void add(Chunk chunk) {
        int chunkIndex = chunks.size();
        chunks.add(new LoadedChunk(chunk));
        Column pk = chunk.column(pkFieldId);
        for (int row = 0; row < chunk.rowCount(); row++) {
            Object key = pk instanceof LongColumn lc ? (Object) lc.values()[row] : ((StringColumn) pk).values()[row];
            long pos = ((long) chunkIndex << 32) | row;
            pkIndex.merge(key, new long[]{pos}, LoadedSegment::concat);
        }
        rows += chunk.rowCount();
    }

    private static long[] concat(long[] a, long[] b) {
        long[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Applies a delete of {@code pk} at {@code ts}; returns how many rows it removed. */
    int delete(Object pk, long ts) {
        long[] positions = pkIndex.get(pk);
        if (positions == null) {
            return 0;
        }
        int n = 0;
        for (long pos : positions) {
            if (chunks.get((int) (pos >>> 32)).delete((int) pos, ts)) {
                n++;
            }
        }
        return n;
    }

    List<LoadedChunk> chunks() {
        return chunks;
    }

    long rowCount() {
        return rows;
    }
}
