package io.elanus.quota;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.elanus.common.OffHeapMemory;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Memory use of this JVM. The heap figure is what the latest garbage collection of any kind left in
 * the heap pools, taken from the collectors' notifications; between collections it stays put, so
 * garbage never counts as use. Off-heap is what {@link OffHeapMemory} tracks, against the machine's
 * (or container's) memory beside the maximum heap.
 */
public final class JvmMemorySource implements MemorySource, AutoCloseable {
    private final Set<String> heapPools = new HashSet<>();
    private final long heapMax;
    private final long offHeapMax;
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = this::onNotification;
    /** Written by the JMX notification thread, read by request threads. */
    private volatile long heapLive;

    public JvmMemorySource() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
        heapMax = Runtime.getRuntime().maxMemory();
        long machine = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getTotalMemorySize() : 0;
        offHeapMax = machine > heapMax ? machine - heapMax : heapMax;
        heapLive = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            // ZGC and Shenandoah also report their pauses, after which the heap still holds the cycle's garbage.
            if (gc.getName().endsWith("Pauses")) {
                continue;
            }
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
                emitters.add(emitter);
            }
        }
    }

    private void onNotification(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        long live = 0;
        for (Map.Entry<String, java.lang.management.MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(e.getKey())) {
                live += e.getValue().getUsed();
            }
        }
        heapLive = live;
    }

    @Override
    public MemoryUsage usage() {
        return new MemoryUsage(heapLive, heapMax, OffHeapMemory.held(), offHeapMax);
    }

    /** A full collection measures the live heap exactly; its notification updates the figure. */
    @Override
    public void refresh() {
        System.gc();
    }

    @Override
    public void close() {
        for (NotificationEmitter e : emitters) {
            try {
                e.removeNotificationListener(listener);
            } catch (ListenerNotFoundException ignored) {
                // never added to this one
            }
        }
    }
}
