package io.elanus.proxy;

import io.elanus.common.NamedThreads;
import io.elanus.proto.WalMessage;
import io.elanus.proto.WalMsgType;
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

    private final Wal wal;
    private final TaskScheduler scheduler;
    private final Supplier<Set<String>> channelsInUse;
    private final long sourceId;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(NamedThreads.daemon("proxy-timetick"));
    private long lastTick;

    TimeTickSender(Wal wal, TaskScheduler scheduler, Supplier<Set<String>> channelsInUse, long sourceId) {
        this.wal = wal;
        this.scheduler = scheduler;
        this.channelsInUse = channelsInUse;
        this.sourceId = sourceId;
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

    private synchronized void tick() {
        try {
            long ts = scheduler.safeTickTs();
            if (ts <= lastTick) {
                return;
            }
            byte[] msg = WalMessage.newBuilder().setType(WalMsgType.TIME_TICK).setTimestamp(ts).setSourceId(sourceId)
                    .build().toByteArray();
            for (String pchannel : channelsInUse.get()) {
                wal.append(pchannel, msg);
            }
            lastTick = ts;
        } catch (RuntimeException e) {
            LOG.warn("time tick failed", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
