package io.elanus.rootcoord;

import io.elanus.common.Tso;
import io.elanus.storage.file.FaultyChannels;
import io.elanus.storage.file.FaultyChannels.Fault;
import io.elanus.storage.kv.EmbeddedMetaKv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When the TSO's bound cannot be saved (the meta store's disk is full) timestamps keep coming,
 * strictly increasing and below the saved bound, so reads go on and a restart never repeats one.
 */
class TsoAllocatorFaultTest {

    @TempDir
    Path dir;

    @Test
    void keepsServingBelowTheSavedBoundWhileItCannotBeSaved() {
        FaultyChannels channels = new FaultyChannels();
        long last;
        long savedBound;
        try (EmbeddedMetaKv kv = EmbeddedMetaKv.open(dir, EmbeddedMetaKv.Settings.DEFAULT, channels)) {
            TsoAllocator tso = new TsoAllocator(kv);
            last = tso.allocate(1);
            savedBound = savedBound(kv);
            channels.set(Fault.DISK_FULL);
            // Run until the wall clock has passed the saved bound, which forces a save that fails.
            while (System.currentTimeMillis() <= savedBound + 50) {
                long next = tso.allocate(1);
                assertTrue(next > last, "timestamps increase");
                assertTrue(Tso.physicalMillis(next) < savedBound, "timestamps stay below the saved bound");
                last = next;
                sleepMillis(20);
            }
            assertEquals(savedBound, savedBound(kv), "the bound could not be saved");

            channels.set(Fault.NONE);
            long resumed = tso.allocate(1);
            assertTrue(resumed > last);
            assertTrue(savedBound(kv) > savedBound, "the bound is saved again once the disk has room");
            last = resumed;
        }
        try (EmbeddedMetaKv reopened = EmbeddedMetaKv.open(dir)) {
            assertTrue(new TsoAllocator(reopened).allocate(1) > last, "no timestamp repeats after a restart");
        }
    }

    private static long savedBound(EmbeddedMetaKv kv) {
        return Long.parseLong(new String(kv.get(TsoAllocator.KEY).orElseThrow().value(), StandardCharsets.UTF_8));
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
