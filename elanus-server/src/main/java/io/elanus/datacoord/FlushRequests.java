package io.elanus.datacoord;

import io.elanus.api.DataNodeClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sends datacoord's flush requests to datanodes from a thread of its own, so that the state thread
 * never waits on a datanode (an unreachable one holds a call until its deadline). Requests of a
 * vchannel not sent yet are merged into one: its segments together, at the later timestamp (a
 * datanode flushes what is sealed once the channel's tick passes it, so waiting for the later
 * timestamp only delays the earlier segments). One entry per vchannel at most: bounded by the
 * channels. A request that fails is not retried: when the node's session expires its channels
 * move on, carrying the pending flush (see ChannelManager).
 */
final class FlushRequests implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FlushRequests.class);

    private record Pending(DataNodeClient node, Set<Long> segmentIds, long flushTs) {
        Pending mergedWith(Pending later) {
            Set<Long> ids = new LinkedHashSet<>(segmentIds);
            ids.addAll(later.segmentIds);
            return new Pending(later.node, ids, Math.max(flushTs, later.flushTs));
        }
    }

    /** Guarded by this. */
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private final Thread thread;
    private boolean running = true;

    FlushRequests() {
        thread = Thread.ofPlatform().name("datacoord-flush-requests").daemon().start(this::loop);
    }

    synchronized void add(DataNodeClient node, String vchannel, List<Long> segmentIds, long flushTs) {
        pending.merge(vchannel, new Pending(node, new LinkedHashSet<>(segmentIds), flushTs), Pending::mergedWith);
        notifyAll();
    }

    private void loop() {
        while (true) {
            String vchannel;
            Pending p;
            synchronized (this) {
                while (running && pending.isEmpty()) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (!running) {
                    return;
                }
                Iterator<Map.Entry<String, Pending>> first = pending.entrySet().iterator();
                Map.Entry<String, Pending> e = first.next();
                first.remove();
                vchannel = e.getKey();
                p = e.getValue();
            }
            try {
                p.node().flushSegments(vchannel, new ArrayList<>(p.segmentIds()), p.flushTs());
            } catch (RuntimeException e) {
                LOG.warn("asking datanode {} to flush {} failed: {}", p.node().nodeId(), vchannel, e.toString());
            }
        }
    }

    /** Stops after the request being sent; requests not sent are dropped (a restarted datanode re-reads sealed segments). */
    @Override
    public void close() {
        synchronized (this) {
            running = false;
            notifyAll();
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
