package io.elanus.querynode;

import io.elanus.segment.Chunk;

import java.util.Arrays;
import java.util.BitSet;

/**
 * A chunk as a query node serves it: the rows plus, per row, the timestamp of the delete that
 * removed it ({@link Long#MAX_VALUE} while alive). A row is visible at MVCC time T when it was
 * inserted at or before T and not deleted at or before T. {@code deleteTs} is written only by the
 * owning delegator's consumer thread under the delegator's write lock.
 */
final class LoadedChunk {
    final Chunk chunk;
    final long[] deleteTs;
    private final long maxInsertTs;
    /** The smallest delete timestamp of any row ({@link Long#MAX_VALUE} while none is deleted). */
    private long minDeleteTs = Long.MAX_VALUE;

    LoadedChunk(Chunk chunk) {
        this.chunk = chunk;
        this.deleteTs = new long[chunk.rowCount()];
        Arrays.fill(deleteTs, Long.MAX_VALUE);
        long max = 0;
        for (long ts : chunk.timestamps()) {
            max = Math.max(max, ts);
        }
        this.maxInsertTs = max;
    }

    /** Marks the row deleted at {@code ts} if it was inserted before it (Milvus: a delete hits rows with a smaller timestamp). */
    boolean delete(int row, long ts) {
        if (chunk.timestamps()[row] < ts && ts < deleteTs[row]) {
            deleteTs[row] = ts;
            minDeleteTs = Math.min(minDeleteTs, ts);
            return true;
        }
        return false;
    }

    /** True when every row is visible at {@code mvccTs} (the common case: no newer rows, no deletes yet). */
    boolean allVisible(long mvccTs) {
        return maxInsertTs <= mvccTs && minDeleteTs > mvccTs;
    }

    BitSet visible(long mvccTs) {
        long[] ts = chunk.timestamps();
        BitSet out = new BitSet(ts.length);
        for (int i = 0; i < ts.length; i++) {
            if (ts[i] <= mvccTs && deleteTs[i] > mvccTs) {
                out.set(i);
            }
        }
        return out;
    }
}
