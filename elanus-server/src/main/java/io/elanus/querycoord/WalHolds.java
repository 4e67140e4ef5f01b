package io.elanus.querycoord;

import io.elanus.msgstream.DmlChannels;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * WAL offsets that query nodes being given a channel will read from, until the channel is served
 * (from then on the node's own WAL position counts): datacoord must not truncate the WAL past them.
 * Task threads add holds, the loop removes them, datacoord's truncation reads them; hence a
 * concurrent map, keyed by the task that holds.
 */
final class WalHolds {
    private record Hold(String pchannel, long offset) {
    }

    private final Map<Long, Hold> holds = new ConcurrentHashMap<>();

    void hold(long task, String vchannel, long offset) {
        holds.put(task, new Hold(DmlChannels.pchannelOf(vchannel), offset));
    }

    void release(long task) {
        holds.remove(task);
    }

    /** The lowest held offset of the physical channel, or {@link Long#MAX_VALUE}. */
    long min(String pchannel) {
        long min = Long.MAX_VALUE;
        for (Hold h : holds.values()) {
            if (h.pchannel().equals(pchannel)) {
                min = Math.min(min, h.offset());
            }
        }
        return min;
    }
}
