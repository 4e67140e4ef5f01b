package io.elanus.quota;

import io.elanus.common.MilvusError;
import io.elanus.common.MilvusException;
import io.elanus.common.NamedThreads;
import io.milvus.grpc.QuotaState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Memory protection for the standalone server (Milvus's quota center, memory part). Every write
 * request reads the latest memory measurement: at or above a high water level it is refused with
 * Milvus's quota error, and reads go on. Once a second a monitor thread flushes early under memory
 * pressure (above a low water level): it asks datacoord to seal the growing segment with the most
 * unflushed data, unless that is tiny. While
 * writes are denied it asks for a fresh measurement now and then, so that freed memory is noticed
 * even when nothing allocates.
 */
public final class QuotaCenter implements WriteQuota, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QuotaCenter.class);
    /** Milvus's text for ErrorCode MemoryQuotaExhausted (ratelimitutil.QuotaErrorString). */
    static final String MEMORY_QUOTA_REASON = "memory quota exceeded, please allocate more resources";
    /**
     * Segments are capped at this share of the heap (standalone): a growing segment is buffered whole
     * until its flush, which needs about three times its size for a moment.
     */
    public static final int SEGMENT_HEAP_DIVISOR = 32;
    /** Under pressure, growing segments down to this share of the heap are sealed (smaller ones would only churn tiny segments). */
    static final int SEAL_UNDER_PRESSURE_DIVISOR = 256;
    static final long REFRESH_WHILE_DENIED_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final MemoryProtection protection;
    private final MemorySource source;
    private final MemoryRelief relief;
    private final LongSupplier nanoClock;
    private final ScheduledExecutorService monitor;
    /** Monitor thread only. */
    private boolean denying;
    private long lastRefresh;

    public QuotaCenter(MemoryProtection protection, MemorySource source, MemoryRelief relief) {
        this(protection, source, relief, System::nanoTime);
    }

    QuotaCenter(MemoryProtection protection, MemorySource source, MemoryRelief relief, LongSupplier nanoClock) {
        this.protection = protection;
        this.source = source;
        this.relief = relief;
        this.nanoClock = nanoClock;
        this.lastRefresh = nanoClock.getAsLong();
        this.monitor = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("quota-center"));
    }

    public void start() {
        monitor.scheduleWithFixedDelay(this::check, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public void checkWrite() {
        if (protection.deniesWrites(source.usage().level())) {
            throw MilvusException.withKey(MilvusError.SERVICE_QUOTA_EXCEEDED, "reason", MEMORY_QUOTA_REASON);
        }
    }

    /** Milvus's proxy stays healthy while it denies writes, and names the quota state and its reason. */
    @Override
    public Report report() {
        return protection.deniesWrites(source.usage().level())
                ? new Report(List.of(QuotaState.DenyToWrite), List.of(MEMORY_QUOTA_REASON)) : Report.NONE;
    }

    /** One monitor round (package-private for tests). */
    void check() {
        try {
            MemoryUsage usage = source.usage();
            double level = usage.level();
            boolean deny = protection.deniesWrites(level);
            if (deny != denying) {
                denying = deny;
                if (deny) {
                    LOG.warn("memory quota exceeded, refusing inserts, upserts and deletes until memory is freed: {}", usage);
                } else {
                    LOG.info("memory back below the high water level, accepting writes again: {}", usage);
                }
            }
            if (protection.underPressure(level)) {
                relief.sealLargestGrowingSegment(usage.heapMax() / SEAL_UNDER_PRESSURE_DIVISOR);
            }
            long now = nanoClock.getAsLong();
            if (deny && now - lastRefresh > REFRESH_WHILE_DENIED_NANOS) {
                lastRefresh = now;
                source.refresh();
            }
        } catch (RuntimeException e) {
            LOG.warn("memory protection check failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        monitor.shutdownNow();
        if (source instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing the memory source failed: {}", e.toString());
            }
        }
    }
}
