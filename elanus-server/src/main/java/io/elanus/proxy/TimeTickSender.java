package io.elanus.proxy;

import io.elanus.common.NamedThreads;
import io.elanus.proto.WalMessage;
import io.elanus.proto.WalMsgType;
import io.elanus.api.RootCoordClient;
import io.elanus.storage.wal.Wal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Sends TIME_TICK messages into every DML channel in use at a fixed interval (guide 5.6). A tick
 * at T promises that no DML with a timestamp below T will follow on the channel, which is what
 * lets consumers release buffered messages and advance their tsafe.
 *
 * <p>Each channel is ticked on its own: a channel whose append fails (a full or read-only disk)
 * never keeps the others from being ticked. A Strong read needs a tick on its own channels; when
 * one of those failed it fails at once with that channel's error instead of waiting for a tsafe
 * that cannot advance.
 */
final class TimeTickSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TimeTickSender.class);

    /** Where a tick goes once its timestamp is known. */
    @FunctionalInterface
    interface Destination {
        /** Delivers the tick; returns the channels it could not be delivered to, with the error of each. */
        Map<String, RuntimeException> tick(long ts);
    }

    /** What a Strong read calls before it reads: a tick now on the channels it reads, or an error. */
    @FunctionalInterface
    interface ReadTick {
        void tick(Collection<String> pchannels);
    }

    private final TaskScheduler scheduler;
    private final Destination destination;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("proxy-timetick"));
    /** Guarded by {@code this}. */
    private long lastTick;
    /** The channels the last tick could not be delivered to. Guarded by {@code this}. */
    private Map<String, RuntimeException> failedChannels = Map.of();

    TimeTickSender(TaskScheduler scheduler, Destination destination) {
        this.scheduler = scheduler;
        this.destination = destination;
    }

    /** Standalone: the only proxy appends its ticks to every DML channel in use. */
    static Destination toWal(Wal wal, Supplier<Set<String>> channelsInUse, long sourceId) {
        return ts -> {
            byte[] msg = WalMessage.newBuilder().setType(WalMsgType.TIME_TICK).setTimestamp(ts).setSourceId(sourceId)
                    .build().toByteArray();
            Map<String, RuntimeException> failed = new TreeMap<>();
            for (String pchannel : channelsInUse.get()) {
                try {
                    wal.append(pchannel, msg);
                } catch (RuntimeException e) {
                    failed.put(pchannel, e);
                }
            }
            return failed;
        };
    }

    /** Cluster: several proxies write DML, so rootcoord ticks the channels at the minimum of their reports. */
    static Destination toRootCoord(RootCoordClient rootCoord, long proxyId) {
        return ts -> {
            rootCoord.reportProxyTimeTick(proxyId, ts);
            return Map.of();
        };
    }

    void start(long intervalMs) {
        timer.scheduleWithFixedDelay(this::tick, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    /**
     * Sends a tick now, from the caller's thread, and fails if one of {@code pchannels} could not be
     * ticked. Strong reads call it so they need not wait for the next periodic tick before their
     * guarantee timestamp is reached, and never wait for a channel that cannot be ticked.
     */
    void tickFor(Collection<String> pchannels) {
        Map<String, RuntimeException> failed = tickAll();
        for (String pchannel : pchannels) {
            RuntimeException error = failed.get(pchannel);
            if (error != null) {
                throw error;
            }
        }
    }

    /** Sends a tick now and fails if it cannot be delivered (the proxy must not serve before its first one). */
    void tickOrFail() {
        Map<String, RuntimeException> failed = tickAll();
        if (!failed.isEmpty()) {
            throw failed.values().iterator().next();
        }
    }

    /**
     * Ticks every channel it can; returns the channels the latest tick could not reach. The timestamp is
     * taken before the lock (a call to the oracle); a tick that lost the race to a later one is not sent.
     */
    private Map<String, RuntimeException> tickAll() {
        long ts = scheduler.safeTickTs();
        synchronized (this) {
            if (ts > lastTick) {
                Map<String, RuntimeException> failed = destination.tick(ts);
                // The channels ticked now hold the promise; a failed one gets it with a later tick.
                lastTick = ts;
                logChanges(failed);
                failedChannels = failed;
            }
            return failedChannels;
        }
    }

    /** One line when a channel starts failing and one when it recovers, not one per tick. */
    private void logChanges(Map<String, RuntimeException> failed) {
        failed.forEach((pchannel, error) -> {
            if (!failedChannels.containsKey(pchannel)) {
                LOG.warn("time ticks to channel {} fail; Strong reads of its collections fail until it recovers: {}",
                        pchannel, error.getMessage());
            }
        });
        for (String pchannel : failedChannels.keySet()) {
            if (!failed.containsKey(pchannel)) {
                LOG.info("time ticks to channel {} go through again", pchannel);
            }
        }
    }

    private void tick() {
        try {
            tickAll();
        } catch (RuntimeException e) {
            LOG.warn("time tick failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
