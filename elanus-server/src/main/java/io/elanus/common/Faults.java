package io.elanus.common;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The faults one part of the process has right now, keyed by what failed (a channel name, a
 * directory). A fault stays until its owner clears it; health reports every active one. Thread-safe:
 * raised and cleared by the owner's threads, read by health probes.
 */
public final class Faults {
    private final Map<String, String> active = new LinkedHashMap<>();

    /** Records (or updates) the fault of {@code key}; true when the key had no fault before (log it then). */
    public synchronized boolean raise(String key, String reason) {
        return active.put(key, reason) == null;
    }

    /** Clears the fault of {@code key}; true when there was one (log the recovery then). */
    public synchronized boolean clear(String key) {
        return active.remove(key) != null;
    }

    public synchronized String reason(String key) {
        return active.get(key);
    }

    public synchronized List<String> active() {
        return new ArrayList<>(active.values());
    }
}
