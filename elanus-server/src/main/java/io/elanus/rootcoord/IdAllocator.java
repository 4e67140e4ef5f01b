package io.elanus.rootcoord;

import io.elanus.common.Tso;
import io.elanus.storage.kv.MetaKv;

import java.nio.charset.StandardCharsets;

/**
 * Globally unique 64-bit IDs (collections, partitions, segments, auto primary keys). IDs are
 * reserved in blocks whose end is persisted before any ID of the block is handed out, so a
 * restart never reuses one. The first run starts at a timestamp-derived value, like Milvus.
 */
final class IdAllocator {
    static final String KEY = "id/allocator";
    private static final long BLOCK = 1_000_000;

    private final MetaKv kv;
    private long next;
    private long limit;

    IdAllocator(MetaKv kv) {
        this.kv = kv;
        long saved = kv.get(KEY).map(e -> Long.parseLong(new String(e.value(), StandardCharsets.UTF_8)))
                .orElse(Tso.compose(System.currentTimeMillis(), 0));
        this.next = saved;
        this.limit = saved;
    }

    /** Reserves {@code count} consecutive IDs and returns the first. */
    synchronized long allocate(int count) {
        if (next + count > limit) {
            limit = next + Math.max(BLOCK, count);
            kv.put(KEY, Long.toString(limit).getBytes(StandardCharsets.UTF_8));
        }
        long first = next;
        next += count;
        return first;
    }
}
