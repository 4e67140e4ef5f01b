package io.elanus.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The storage faults a backend has right now, keyed by what failed (a WAL channel, the meta log):
 * each is logged once when it starts and once when it clears, never per failed request. Health
 * reports {@link #active()} while any lasts. Thread-safe.
 *
 * <p>A full disk clears only once the file system has {@link #DISK_HEADROOM_BYTES} free again: on a
 * full disk small writes (time ticks) can still land in the unused end of a file's last block
 * while every real write fails, and health must not flap back to healthy on those.
 */
public final class StorageFaultLog {
    private static final Logger LOG = LoggerFactory.getLogger(StorageFaultLog.class);

    /** Free space that proves a full disk was relieved. */
    public static final long DISK_HEADROOM_BYTES = 1L << 20;

    private final String backend;
    private final Path dir;
    private final Map<String, StorageFaultException> active = new LinkedHashMap<>();

    /** {@code dir} is the backend's directory: its file system's free space decides when a full disk is over. */
    public StorageFaultLog(String backend, Path dir) {
        this.backend = backend;
        this.dir = dir;
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
            previous = active.get(key);
            if (previous == null || (previous.kind() == StorageFaultException.Kind.DISK_FULL && !hasHeadroom())) {
                return;
            }
            active.remove(key);
        }
        LOG.info("{} {} recovered; writes resume (was: {})", backend, key, previous.getMessage());
    }

    private boolean hasHeadroom() {
        try {
            return Files.getFileStore(dir).getUsableSpace() >= DISK_HEADROOM_BYTES;
        } catch (IOException e) {
            return false;
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

    /**
     * {@link #active()}, with a deleted directory ({@code loss}, from the backend's {@link DataDirGuard},
     * may be null) reported once for the whole backend instead of once per file that met it.
     */
    public synchronized List<String> activeWith(StorageFaultException loss) {
        if (loss == null) {
            return active();
        }
        List<String> out = new ArrayList<>();
        out.add(backend + ": " + loss.getMessage());
        active.forEach((key, fault) -> {
            if (fault.kind() != StorageFaultException.Kind.DATA_DELETED) {
                out.add(backend + " " + key + ": " + fault.getMessage());
            }
        });
        return out;
    }
}
