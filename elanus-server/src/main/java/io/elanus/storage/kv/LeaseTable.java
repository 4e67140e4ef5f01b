package io.elanus.storage.kv;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Live leases and their deadlines (in-memory: leases do not survive a restart). */
final class LeaseTable {

    private static final class Lease {
        final long ttlNanos;
        volatile long deadline;

        Lease(long ttlNanos) {
            this.ttlNanos = ttlNanos;
            this.deadline = System.nanoTime() + ttlNanos;
        }
    }

    private final ConcurrentHashMap<Long, Lease> leases = new ConcurrentHashMap<>();
    private final AtomicLong nextId;

    LeaseTable(long firstId) {
        this.nextId = new AtomicLong(firstId);
    }

    long grant(Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("lease TTL must be positive");
        }
        long id = nextId.getAndIncrement();
        leases.put(id, new Lease(ttl.toNanos()));
        return id;
    }

    boolean contains(long id) {
        return leases.containsKey(id);
    }

    boolean keepAlive(long id) {
        Lease lease = leases.get(id);
        if (lease == null) {
            return false;
        }
        long now = System.nanoTime();
        if (now - lease.deadline > 0) {
            return false;
        }
        lease.deadline = now + lease.ttlNanos;
        return true;
    }

    boolean remove(long id) {
        return leases.remove(id) != null;
    }

    List<Long> expired() {
        long now = System.nanoTime();
        return leases.entrySet().stream().filter(e -> now - e.getValue().deadline > 0).map(e -> e.getKey()).toList();
    }
}
