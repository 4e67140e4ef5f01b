package io.elanus.msgstream;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When a failing flow graph waits, when its failure becomes a fault, and when the fault is over. */
class ChannelRetriesTest {
    private static final String CHANNEL = "dml_0_1v0";

    @Test
    void anUnappliableMessageIsAFaultAtOnceAndBacksOffExponentiallyUpToTheCap() {
        ChannelRetries retries = new ChannelRetries("data sync of " + CHANNEL, "flushes fail");
        UnappliableMessageException poison = new UnappliableMessageException(CHANNEL, 17,
                new IllegalArgumentException("field text has 1 values for 4 rows with 0 nulls"));
        List<Duration> delays = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ChannelRetries.Failure f = retries.failed(poison, 20);
            assertNotNull(f.faultReason(), "attempt " + i);
            assertTrue(f.faultReason().contains("offset 17 of " + CHANNEL), f.faultReason());
            delays.add(f.delay());
        }
        assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L), delays.stream().map(Duration::toSeconds).toList());
        assertFalse(retries.passed(19), "a batch before the stuck message does not end the fault");
        assertTrue(retries.faulted());
        assertTrue(retries.passed(20), "applying past the stuck message ends it");
        assertFalse(retries.faulted());
        assertEquals(Duration.ofSeconds(1), retries.failed(poison, 30).delay(), "back-off starts over");
    }

    @Test
    void anOutageBecomesAFaultOnlyAfterRepeatedFailuresAndEndsWithTheNextAppliedBatch() {
        ChannelRetries retries = new ChannelRetries("data sync of " + CHANNEL, "flushes fail");
        RuntimeException outage = new IllegalStateException("datacoord unreachable");
        assertNull(retries.failed(outage, -1).faultReason());
        assertNull(retries.failed(outage, -1).faultReason());
        ChannelRetries.Failure third = retries.failed(outage, -1);
        assertNotNull(third.faultReason());
        assertTrue(third.faultReason().contains("datacoord unreachable"), third.faultReason());
        assertTrue(retries.passed(5), "the first batch applied afterwards ends it");
        assertFalse(retries.passed(6), "and it is cleared once");
    }

    @Test
    void aFailureThatDoesNotRecurIsForgottenWithoutAFault() {
        ChannelRetries retries = new ChannelRetries("data sync of " + CHANNEL, "flushes fail");
        assertNull(retries.failed(new IllegalStateException("object store hiccup"), 40).faultReason());
        assertFalse(retries.passed(40), "nothing to clear: no fault was raised");
        assertNull(retries.failed(new IllegalStateException("object store hiccup"), 50).faultReason(),
                "the count of failures in a row started over");
    }
}
