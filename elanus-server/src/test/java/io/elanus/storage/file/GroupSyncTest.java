package io.elanus.storage.file;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GroupSyncTest {

    @Test
    void oneFsyncCoversEverythingWrittenBeforeIt() {
        AtomicInteger forces = new AtomicInteger();
        GroupSync sync = new GroupSync(forces::incrementAndGet, 0);
        sync.written(10);
        sync.awaitDurable(3);
        sync.awaitDurable(10);
        assertEquals(1, forces.get());
        assertEquals(10, sync.durable());
        sync.written(11);
        sync.awaitDurable(11);
        assertEquals(2, forces.get());
    }

    @Test
    void aFailedFsyncStopsTheLogForGood() {
        AtomicInteger calls = new AtomicInteger();
        GroupSync sync = new GroupSync(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new IOException("disk gone");
            }
        }, 0);
        sync.written(1);
        assertThrows(UncheckedIOException.class, () -> sync.awaitDurable(1));
        sync.written(2);
        assertThrows(UncheckedIOException.class, () -> sync.awaitDurable(2));
        assertEquals(1, calls.get(), "no retry may pretend the lost data is durable");
    }

    @Test
    void readersWaitWithoutForcingAndCloseSyncsTheRest() throws Exception {
        AtomicInteger forces = new AtomicInteger();
        GroupSync sync = new GroupSync(forces::incrementAndGet, 0);
        sync.written(4);
        assertFalse(sync.awaitDurableFor(4, 1_000_000));
        assertEquals(0, forces.get());
        sync.close();
        assertEquals(1, forces.get());
        assertTrue(sync.awaitDurableFor(4, 1_000_000));
        sync.awaitDurable(4);
        sync.written(5);
        assertThrows(IllegalStateException.class, () -> sync.awaitDurable(5));
    }
}
