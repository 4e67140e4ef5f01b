package io.elanus.quota;

import io.elanus.common.OffHeapMemory;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The JVM measurement follows what garbage collections leave, and off-heap memory until its arena is collected. */
class JvmMemorySourceTest {
    private static final int MB = 1 << 20;

    /** Polls (bounded) while asking for collections; GC notifications arrive asynchronously. */
    private static void awaitAfterGc(JvmMemorySource source, BooleanSupplier condition, String what) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            source.refresh();
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        fail(what + "; last measurement: " + source.usage());
    }

    @Test
    void heapLiveIsWhatTheLastCollectionLeft() throws Exception {
        try (JvmMemorySource source = new JvmMemorySource()) {
            assertEquals(Runtime.getRuntime().maxMemory(), source.usage().heapMax());
            awaitAfterGc(source, () -> source.usage().heapLive() > 0, "a collection was measured");
            long base = source.usage().heapLive();
            byte[][] held = {new byte[256 * MB]};
            awaitAfterGc(source, () -> source.usage().heapLive() >= base + 200L * MB, "the 256 MB array counts while held");
            assertTrue(held[0].length > 0);
            held[0] = null;
            awaitAfterGc(source, () -> source.usage().heapLive() < base + 100L * MB, "the array no longer counts once collected");
        }
    }

    @Test
    void offHeapIsCountedUntilItsArenaIsCollected() throws Exception {
        try (JvmMemorySource source = new JvmMemorySource()) {
            long base = OffHeapMemory.held();
            MemorySegment[] held = {Arena.ofAuto().allocate(64L * MB)};
            OffHeapMemory.track(held[0], held[0].byteSize());
            MemorySegment slice = held[0].asSlice(0, MB);
            held[0] = null;
            assertTrue(source.usage().offHeap() >= base + 64L * MB, "counted while a slice keeps the arena alive");
            assertEquals(MB, slice.byteSize());
            slice = null;
            awaitAfterGc(source, () -> OffHeapMemory.held() <= base, "released once the arena is collected");
        }
    }
}
