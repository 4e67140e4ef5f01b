package io.elanus.session;

import com.google.protobuf.InvalidProtocolBufferException;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Follows the role sessions in the meta store (Milvus's service discovery): the sessions alive
 * now, and a callback when one appears or disappears (its process stopped, or died and its lease
 * expired). Callbacks run on one thread owned by this object, so a slow reaction (reassigning a
 * dead node's work) never stalls the meta store's watch thread.
 * <p>
 * Bounded by coalescing, not by a queue: the watch thread only marks a session key as changed; the
 * callback thread compares each marked key's live session with the one the listeners last heard of
 * and reports the difference, keys in the order they first changed. However far the listeners fall
 * behind, what waits is one mark per session; a session that came and went before they caught up is
 * never reported, and one that went and came back under the same key is reported gone then back only
 * if its registration changed.
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
    /** Sessions as the listeners last heard of them; only the callback thread touches it and the listeners. */
    private final Map<String, SessionInfo> delivered = new HashMap<>();
    private final List<Listener> listeners = new ArrayList<>();
    /** Session keys changed since the callback thread last looked, and listeners to add; guarded by {@code pending}. */
    private final Set<String> changed = new LinkedHashSet<>();
    private final List<Listener> joining = new ArrayList<>();
    private final Object pending = new Object();
    private final Thread callbacks = Thread.ofPlatform().daemon().name("service-discovery").unstarted(this::deliverChanges);
    private volatile boolean closed;
    private KvWatch watch;

    private ServiceDiscovery() {
    }

    /** Starts following sessions. */
    public static ServiceDiscovery start(MetaKv kv) {
        ServiceDiscovery d = new ServiceDiscovery();
        d.callbacks.start();
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
            mark(e.key());
        }
    }

    private void removed(String key) {
        SessionInfo info = live.remove(key);
        if (info != null) {
            LOG.info("session of {}-{} is gone", info.getRole(), info.getServerId());
            mark(key);
        }
    }

    private void mark(String key) {
        synchronized (pending) {
            changed.add(key);
            pending.notifyAll();
        }
    }

    /** The callback thread: new listeners first hear of the sessions delivered so far, then every listener hears of the changes. */
    private void deliverChanges() {
        while (true) {
            List<String> keys;
            List<Listener> newcomers;
            synchronized (pending) {
                while (changed.isEmpty() && joining.isEmpty() && !closed) {
                    try {
                        pending.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                keys = List.copyOf(changed);
                changed.clear();
                newcomers = List.copyOf(joining);
                joining.clear();
            }
            for (Listener l : newcomers) {
                delivered.values().forEach(info -> notify(() -> l.sessionAdded(info)));
                listeners.add(l);
            }
            keys.forEach(this::deliverChange);
        }
    }

    private void deliverChange(String key) {
        SessionInfo now = live.get(key);
        SessionInfo before = delivered.get(key);
        if (now != null && before != null && now.equals(before)) {
            return;
        }
        if (before != null) {
            delivered.remove(key);
            listeners.forEach(l -> notify(() -> l.sessionRemoved(before)));
        }
        if (now != null) {
            delivered.put(key, now);
            listeners.forEach(l -> notify(() -> l.sessionAdded(now)));
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
        synchronized (pending) {
            joining.add(listener);
            pending.notifyAll();
        }
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
        synchronized (pending) {
            closed = true;
            pending.notifyAll();
        }
        callbacks.interrupt();
    }
}
