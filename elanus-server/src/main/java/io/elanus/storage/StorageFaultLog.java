package io.elanus.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The storage faults a backend has right now, keyed by what failed (a WAL channel, the meta log):
 * each is logged once when it starts and once when it clears, never per failed request. Health
 * reports {@link #active()} while any lasts. Thread-safe.
 */
public final class StorageFaultLog {
    private static final Logger LOG = LoggerFactory.getLogger(StorageFaultLog.class);

    private final String backend;
    private final Map<String, StorageFaultException> active = new LinkedHashMap<>();

    public StorageFaultLog(String backend) {
        this.backend = backend;
    }

    /** Records the fault of {@code key}; logs it when the key had none (or a fault of another kind). */
    public void raise(String key, StorageFaultException fault) {
        StorageFaultException previous;
        synchronized (this) {
            previous = active.put(key, fault);
        }
        if (previous == null || previous.kind() != fault.kind()) {
            LOG.error("{} {}: {} (cause: {})", backend, key, fault.getMessage(),
                    fault.getCause() == null ? "-" : fault.getCause().toString());
        }
    }

    /** Clears the fault of {@code key}; logs the recovery when there was one. */
    public void clear(String key) {
        StorageFaultException previous;
        synchronized (this) {
            if (active.isEmpty()) {
                return;
            }
            previous = active.remove(key);
        }
        if (previous != null) {
            LOG.info("{} {} recovered; writes resume (was: {})", backend, key, previous.getMessage());
        }
    }

    public synchronized boolean isEmpty() {
        return active.isEmpty();
    }

    /** One line per active fault, naming the backend, what failed and the cause. */
    public synchronized List<String> active() {
        List<String> out = new ArrayList<>(active.size());
        active.forEach((key, fault) -> out.add(backend + " " + key + ": " + fault.getMessage()));
        return out;
    }
}
