package io.elanus.quota;

import io.elanus.common.MilvusError;
import io.elanus.common.MilvusException;
import io.milvus.grpc.ErrorCode;
import io.milvus.grpc.QuotaState;
import io.milvus.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuotaCenterTest {
    private static final long HEAP = 1L << 30;
    private static final MemoryProtection LEVELS = new MemoryProtection(true, true, 0.6, 0.75, 0.6, 0.75);

    /** A memory source whose level the test sets; counts refresh requests. */
    private static final class FakeMemory implements MemorySource {
        volatile double level;
        int refreshes;

        @Override
        public MemoryUsage usage() {
            return new MemoryUsage((long) (level * HEAP), HEAP, 0, HEAP);
        }

        @Override
        public void refresh() {
            refreshes++;
        }
    }

    private final FakeMemory memory = new FakeMemory();
    private final List<Long> sealRequests = new ArrayList<>();
    private final AtomicLong clock = new AtomicLong();
    private final QuotaCenter center = new QuotaCenter(LEVELS, memory, min -> {
        sealRequests.add(min);
        return false;
    }, clock::get);

    @AfterEach
    void close() {
        center.close();
    }

    @Test
    void writesGoOnBelowTheHighWaterLevel() {
        memory.level = 0.74;
        assertDoesNotThrow(center::checkWrite);
        assertEquals(WriteQuota.Report.NONE, center.report());
    }

    @Test
    void atTheHighWaterLevelWritesGetMilvusMemoryQuotaError() {
        memory.level = 0.75;
        MilvusException e = assertThrows(MilvusException.class, center::checkWrite);
        assertEquals(MilvusError.SERVICE_QUOTA_EXCEEDED, e.kind());
        Status s = e.toStatus();
        assertEquals(9, s.getCode());
        assertEquals(ErrorCode.ForceDeny, s.getErrorCode());
        assertFalse(s.getRetriable());
        assertEquals("quota exceeded[reason=memory quota exceeded, please allocate more resources]", s.getReason());
        assertEquals(new WriteQuota.Report(List.of(QuotaState.DenyToWrite),
                List.of("memory quota exceeded, please allocate more resources")), center.report());

        memory.level = 0.5;
        assertDoesNotThrow(center::checkWrite, "writes resume once memory is freed");
    }

    @Test
    void quotaMasterSwitchOffNeverDenies() {
        QuotaCenter off = new QuotaCenter(new MemoryProtection(false, true, 0.6, 0.75, 0.6, 0.75), memory, min -> false);
        memory.level = 0.99;
        assertDoesNotThrow(off::checkWrite);
        off.close();
    }

    @Test
    void growingSegmentsAreSealedEarlyOnlyUnderPressure() {
        memory.level = 0.6;
        center.check();
        assertEquals(List.of(), sealRequests, "at the low water level there is no pressure yet");
        memory.level = 0.65;
        center.check();
        memory.level = 0.9;
        center.check();
        assertEquals(List.of(HEAP / QuotaCenter.SEAL_UNDER_PRESSURE_DIVISOR, HEAP / QuotaCenter.SEAL_UNDER_PRESSURE_DIVISOR), sealRequests);
    }

    @Test
    void whileDeniedTheMeasurementIsRefreshedNowAndThen() {
        memory.level = 0.9;
        center.check();
        assertEquals(0, memory.refreshes);
        clock.addAndGet(QuotaCenter.REFRESH_WHILE_DENIED_NANOS + 1);
        center.check();
        assertEquals(1, memory.refreshes);
        center.check();
        assertEquals(1, memory.refreshes, "at most once per interval");
        memory.level = 0.5;
        clock.addAndGet(QuotaCenter.REFRESH_WHILE_DENIED_NANOS + 1);
        center.check();
        assertEquals(1, memory.refreshes, "no refresh while writes are accepted");
    }

    @Test
    void levelIsTheFullerOfHeapAndOffHeap() {
        assertEquals(0.5, new MemoryUsage(50, 100, 10, 100).level(), 1e-9);
        assertEquals(0.8, new MemoryUsage(50, 100, 80, 100).level(), 1e-9);
        assertTrue(new MemoryUsage(0, 0, 0, 0).level() == 0);
    }
}
