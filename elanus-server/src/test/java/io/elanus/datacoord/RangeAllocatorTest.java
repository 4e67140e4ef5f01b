package io.elanus.datacoord;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Values come from reserved ranges: one reservation per range, a new one when it is used up or too old. */
class RangeAllocatorTest {
    private final List<Integer> reservations = new ArrayList<>();
    private final AtomicLong nextFree = new AtomicLong(1_000);
    private final AtomicLong nanos = new AtomicLong();

    private long reserve(int count) {
        reservations.add(count);
        return nextFree.getAndAdd(count);
    }

    @Test
    void aRangeIsReservedOnlyWhenTheLastOneIsUsedUp() {
        RangeAllocator ids = new RangeAllocator(this::reserve, 3, Long.MAX_VALUE, nanos::get);
        List<Long> got = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            got.add(ids.next());
            nanos.addAndGet(1_000_000_000_000L); // ID ranges do not age
        }
        assertEquals(List.of(1000L, 1001L, 1002L, 1003L, 1004L, 1005L, 1006L), got);
        assertEquals(List.of(3, 3, 3), reservations);
    }

    @Test
    void aRangeOlderThanItsMaximumAgeIsGivenUp() {
        RangeAllocator timestamps = new RangeAllocator(this::reserve, 10, 100, nanos::get);
        assertEquals(1000, timestamps.next());
        nanos.set(100);
        assertEquals(1001, timestamps.next(), "exactly the maximum age is still fresh");
        nanos.set(101);
        assertEquals(1010, timestamps.next(), "the rest of the first range is skipped");
        assertEquals(1011, timestamps.next());
        assertEquals(List.of(10, 10), reservations);
    }
}
