package io.elanus.proxy;

import io.elanus.common.NamedThreads;
import io.elanus.proto.WalMessage;
import io.elanus.proto.WalMsgType;
import io.elanus.rootcoord.RootCoordClient;
import io.elanus.storage.wal.Wal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Sends TIME_TICK messages into every DML channel in use at a fixed interval (guide 5.6). A tick
 * at T promises that no DML with a timestamp below T will follow on the channel, which is what
 * lets consumers release buffered messages and advance their tsafe.
 */
final class TimeTickSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TimeTickSender.class);

    /** Where a tick goes once its timestamp is known. */
    @FunctionalInterface
    interface Destination {
        void tick(long ts);
    }

    private final TaskScheduler scheduler;
    private final Destination destination;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("proxy-timetick"));
    private long lastTick;

    TimeTickSender(TaskScheduler scheduler, Destination destination) {
        this.scheduler = scheduler;
        this.destination = destination;
    }

    /** Standalone: the only proxy appends its ticks to every DML channel in use. */
    static Destination toWal(Wal wal, Supplier<Set<String>> channelsInUse, long sourceId) {
        return ts -> {
            byte[] msg = WalMessage.newBuilder().setType(WalMsgType.TIME_TICK).setTimestamp(ts).setSourceId(sourceId)
                    .build().toByteArray();
            for (String pchannel : channelsInUse.get()) {
                wal.append(pchannel, msg);
            }
        };
    }

    /** Cluster: several proxies write DML, so rootcoord ticks the channels at the minimum of their reports. */
    static Destination toRootCoord(RootCoordClient rootCoord, long proxyId) {
        return ts -> rootCoord.reportProxyTimeTick(proxyId, ts);
    }

    void start(long intervalMs) {
        timer.scheduleWithFixedDelay(this::tick, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    /**
     * Sends a tick now, from the caller's thread. Strong reads call it so they need not wait for the
     * next periodic tick before their guarantee timestamp is reached.
     */
    void tickNow() {
        tick();
    }

    /** Sends a tick now and fails if it cannot be delivered (the proxy must not serve before its first one). */
    synchronized void tickOrFail() {
        long ts = scheduler.safeTickTs();
        if (ts > lastTick) {
            destination.tick(ts);
            lastTick = ts;
        }
    }

    private void tick() {
        try {
            tickOrFail();
        } catch (RuntimeException e) {
            LOG.warn("time tick failed", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
