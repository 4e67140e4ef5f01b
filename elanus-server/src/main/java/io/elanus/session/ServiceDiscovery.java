package io.elanus.session;

import com.google.protobuf.InvalidProtocolBufferException;
import io.elanus.common.NamedThreads;
import io.elanus.session.Session;
import io.elanus.proto.SessionInfo;
import io.elanus.storage.kv.KvEntry;
import io.elanus.storage.kv.KvEvent;
import io.elanus.storage.kv.KvWatch;
import io.elanus.storage.kv.MetaKv;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Follows the role sessions in the meta store (Milvus's service discovery): the sessions alive
 * now, and a callback when one appears or disappears (its process stopped, or died and its lease
 * expired). Callbacks run in event order on one thread owned by this object, so a slow reaction
 * (reassigning a dead node's work) never stalls the meta store's watch thread.
 */
public final class ServiceDiscovery implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceDiscovery.class);

    /** Reacts to membership changes; called on the discovery's own thread. */
    public interface Listener {
        void sessionAdded(SessionInfo session);

        void sessionRemoved(SessionInfo session);
    }

    /** Sessions as of the last event seen (the watch thread's view). */
    private final Map<String, SessionInfo> live = new ConcurrentHashMap<>();
    /** Sessions as of the last event delivered to the listeners; only the callback thread touches it and the listeners. */
    private final Map<String, SessionInfo> delivered = new HashMap<>();
    private final List<Listener> listeners = new ArrayList<>();
    private final ExecutorService callbacks = Executors.newSingleThreadExecutor(NamedThreads.daemon("service-discovery"));
    private KvWatch watch;

    private ServiceDiscovery() {
    }

    /** Starts following sessions. */
    public static ServiceDiscovery start(MetaKv kv) {
        ServiceDiscovery d = new ServiceDiscovery();
        long revision = kv.currentRevision();
        for (KvEntry e : kv.scanPrefix(Session.PREFIX)) {
            d.added(e);
        }
        d.watch = kv.watchPrefix(Session.PREFIX, revision, event -> {
            if (event.type() == KvEvent.Type.PUT) {
                d.added(event.entry());
            } else {
                d.removed(event.entry().key());
            }
        });
        return d;
    }

    private void added(KvEntry e) {
        SessionInfo info;
        try {
            info = SessionInfo.parseFrom(e.value());
        } catch (InvalidProtocolBufferException ex) {
            LOG.warn("ignoring undecodable session at {}", e.key());
            return;
        }
        if (live.put(e.key(), info) == null) {
            LOG.info("session of {}-{} at {} appeared", info.getRole(), info.getServerId(), info.getAddress());
            callbacks.execute(() -> {
                delivered.put(e.key(), info);
                listeners.forEach(l -> notify(() -> l.sessionAdded(info)));
            });
        }
    }

    private void removed(String key) {
        SessionInfo info = live.remove(key);
        if (info != null) {
            LOG.info("session of {}-{} is gone", info.getRole(), info.getServerId());
            callbacks.execute(() -> {
                delivered.remove(key);
                listeners.forEach(l -> notify(() -> l.sessionRemoved(info)));
            });
        }
    }

    private static void notify(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            LOG.error("reacting to a session change failed", e);
        }
    }

    /**
     * Adds a listener: it first hears of every session delivered so far, then of every later change,
     * each exactly once.
     */
    public void addListener(Listener listener) {
        callbacks.execute(() -> {
            delivered.values().forEach(info -> notify(() -> listener.sessionAdded(info)));
            listeners.add(listener);
        });
    }

    /** Every live session. */
    public List<SessionInfo> all() {
        return List.copyOf(live.values());
    }

    /** The live sessions of a role, by server ID. */
    public List<SessionInfo> sessions(String role) {
        return live.values().stream().filter(s -> s.getRole().equals(role))
                .sorted((a, b) -> Long.compare(a.getServerId(), b.getServerId())).toList();
    }

    /** The live session of a role (the one with the highest server ID if several), waiting up to {@code timeout} for one. */
    public Optional<SessionInfo> await(String role, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<SessionInfo> found = sessions(role);
            if (!found.isEmpty()) {
                return Optional.of(found.getLast());
            }
            if (System.nanoTime() > deadline) {
                return Optional.empty();
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void close() {
        if (watch != null) {
            watch.close();
        }
        callbacks.shutdownNow();
    }
}
