package io.elanus.rootcoord;

import io.elanus.proto.WalMessage;
import io.elanus.proto.WalMsgType;
import io.elanus.storage.wal.Wal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The DML channels' time ticks when several proxies write to them (cluster mode; Milvus's
 * rootcoord timetickSync). Each proxy reports the timestamp below which it has written every DML;
 * a tick may only promise the minimum over the live proxies, so rootcoord appends that minimum to
 * every DML channel in use whenever it advances. A proxy reports once before serving, so no proxy
 * unknown here can hold a DML below the tick; a proxy whose session expired is dropped.
 * All methods are synchronized: reports arrive on gRPC threads, departures on the discovery thread.
 */
public final class ProxyTimeTicks {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyTimeTicks.class);

    private final Wal wal;
    private final Supplier<Set<String>> channelsInUse;
    private final long sourceId;
    private final Map<Long, Long> reported = new HashMap<>();
    private long lastTick;
    /** Channels whose last tick failed (logged once when they start failing). */
    private final Set<String> failing = new HashSet<>();

    public ProxyTimeTicks(Wal wal, Supplier<Set<String>> channelsInUse, long sourceId) {
        this.wal = wal;
        this.channelsInUse = channelsInUse;
        this.sourceId = sourceId;
    }

    /** A proxy has written every DML below {@code safeTs}; ticks the channels if the minimum advanced. */
    public synchronized void report(long proxyId, long safeTs) {
        reported.merge(proxyId, safeTs, Math::max);
        tickIfAdvanced();
    }

    /** The proxy's session is gone: it no longer holds the tick back. */
    public synchronized void proxyGone(long proxyId) {
        if (reported.remove(proxyId) != null) {
            LOG.info("proxy {} left; time ticks no longer wait for it", proxyId);
            tickIfAdvanced();
        }
    }

    private void tickIfAdvanced() {
        if (reported.isEmpty()) {
            return;
        }
        long tick = Collections.min(reported.values());
        if (tick <= lastTick) {
            return;
        }
        byte[] msg = WalMessage.newBuilder().setType(WalMsgType.TIME_TICK).setTimestamp(tick).setSourceId(sourceId)
                .build().toByteArray();
        // Each channel on its own: one that cannot be written (a failed WAL channel) never holds back the others.
        for (String pchannel : channelsInUse.get()) {
            try {
                wal.append(pchannel, msg);
                if (failing.remove(pchannel)) {
                    LOG.info("time ticks to channel {} go through again", pchannel);
                }
            } catch (RuntimeException e) {
                if (failing.add(pchannel)) {
                    LOG.warn("time ticks to channel {} fail: {}", pchannel, e.getMessage());
                }
            }
        }
        lastTick = tick;
    }
}
