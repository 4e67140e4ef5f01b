package io.elanus.common;

import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes of native memory Elanus holds in automatic arenas (vector data and index sections), for
 * memory protection. An automatic arena is freed by the GC once no segment of it is reachable;
 * every segment of an arena shares its scope object, so the count drops when that scope is collected.
 */
public final class OffHeapMemory {
    private static final AtomicLong HELD = new AtomicLong();
    private static final Cleaner CLEANER = Cleaner.create(NamedThreads.daemon("offheap-cleaner"));

    private OffHeapMemory() {
    }

    /** Counts {@code bytes} of {@code segment}'s arena until the arena becomes unreachable. */
    public static void track(MemorySegment segment, long bytes) {
        HELD.addAndGet(bytes);
        CLEANER.register(segment.scope(), () -> HELD.addAndGet(-bytes));
    }

    public static long held() {
        return HELD.get();
    }
}
