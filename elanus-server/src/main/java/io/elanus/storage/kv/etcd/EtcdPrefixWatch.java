package io.elanus.storage.kv.etcd;

import io.elanus.storage.kv.HistoryCompactedException;
import io.elanus.storage.kv.KvEntry;
import io.elanus.storage.kv.KvEvent;
import io.elanus.storage.kv.KvWatch;
import io.elanus.storage.kv.KvWatchListener;
import io.elanus.storage.kv.PrefixWatch;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A prefix watch on etcd. Received events are handed to a {@link PrefixWatch}, whose thread
 * delivers them in revision order.
 *
 * <p>The etcd stream is resumed here, not by jetcd: when it breaks (etcd restarted, connection
 * lost, member without leader) a new stream starts at the revision after the last one received,
 * so nothing is missed or repeated. (jetcd would resume from the stream's creation revision if no
 * event had arrived yet, skipping replayed history.)
 *
 * <p>If etcd compacted its history past that revision while the stream was down, the missed
 * revisions are gone; then the watch reads the prefix afresh and delivers the difference from what
 * it delivered before (a PUT for each key created or changed since, a DELETE for each key gone, the
 * deletes stamped with the read's revision), and resumes after that read. Listeners see the same
 * final state as with every revision, with intermediate changes collapsed; Milvus's watchers rescan
 * the same way on ErrCompacted. For that it keeps the key and mod revision of every live key under
 * the prefix, so it suits prefixes of modest size (sessions, channel assignments).
 *
 * <p>Threads: jetcd's callback thread receives events and failures (one stream at a time);
 * resumptions and rescans run on the store's scheduler; {@link #close} may come from any thread.
 */
final class EtcdPrefixWatch implements KvWatch {
    private static final Logger LOG = LoggerFactory.getLogger(EtcdPrefixWatch.class);

    private final Watch watchClient;
    private final String prefix;
    private final ByteSequence prefixBytes;
    private final long afterRevision;
    private final ScheduledExecutorService scheduler;
    private final Duration resumeDelay;
    private final Consumer<EtcdPrefixWatch> onClose;
    private final PrefixWatch delivery;
    private final CompletableFuture<Void> firstCreated = new CompletableFuture<>();
    private final CompletableFuture<Long> compacted = new CompletableFuture<>();
    /** Where the next stream starts: one past the last revision received. Written by stream callbacks and rescans. */
    private volatile long nextRevision;
    /** Key -> mod revision of every live key as delivered so far; guarded by itself. */
    private final Map<String, Long> live = new HashMap<>();
    private SnapshotReader reader;
    private volatile boolean interrupted;
    private volatile boolean started;
    private boolean closed;
    private Stream current;

    EtcdPrefixWatch(Watch watchClient, String prefix, long afterRevision, KvWatchListener listener,
                    ScheduledExecutorService scheduler, Duration resumeDelay, Consumer<EtcdPrefixWatch> onClose) {
        this.watchClient = watchClient;
        this.prefix = prefix;
        this.prefixBytes = Conversions.bytes(prefix);
        this.afterRevision = afterRevision;
        this.scheduler = scheduler;
        this.resumeDelay = resumeDelay;
        this.onClose = onClose;
        this.nextRevision = afterRevision + 1;
        this.delivery = new PrefixWatch(prefix, afterRevision, listener, ignored -> stop());
    }

    /**
     * Opens the stream and returns once etcd has created it and still holds the history after
     * {@code afterRevision}; throws {@link HistoryCompactedException} if it does not.
     */
    void start(KV kv, EtcdCalls calls, SnapshotReader reader) {
        this.reader = reader;
        open();
        calls.await(firstCreated, "creation of a watch on '" + prefix + "'");
        requireHistory(kv, calls);
        seedLiveKeys();
        started = true;
        delivery.start();
    }

    /** Reads a prefix at a revision (0: the latest). */
    @FunctionalInterface
    interface SnapshotReader {
        EtcdMetaKv.PrefixSnapshot read(String prefix, long revision);
    }

    /**
     * The keys live at {@code afterRevision}, which the owner holds when the watch starts. When etcd
     * compacted exactly up to the next revision (the watch itself is fine then), that revision's
     * state stands in; its own events follow first.
     */
    private void seedLiveKeys() {
        if (afterRevision == 0) {
            return;
        }
        EtcdMetaKv.PrefixSnapshot snapshot;
        try {
            snapshot = reader.read(prefix, afterRevision);
        } catch (EtcdException e) {
            if (!EtcdCalls.isCompacted(e)) {
                throw e;
            }
            snapshot = reader.read(prefix, afterRevision + 1);
        }
        synchronized (live) {
            for (KvEntry entry : snapshot.entries()) {
                live.put(entry.key(), entry.modRevision());
            }
        }
    }

    private void track(KvEvent event) {
        synchronized (live) {
            if (event.type() == KvEvent.Type.PUT) {
                live.put(event.entry().key(), event.entry().modRevision());
            } else {
                live.remove(event.entry().key());
            }
        }
    }

    /**
     * etcd reports a compacted start revision asynchronously, after creating the watch; a read at
     * that revision tells at once whether it is compacted, then the watch's notice says up to where.
     */
    private void requireHistory(KV kv, EtcdCalls calls) {
        GetOption atStart = GetOption.builder().withCountOnly(true).withRevision(afterRevision + 1).build();
        try {
            calls.await(kv.get(prefixBytes, atStart), "read at revision " + (afterRevision + 1));
        } catch (EtcdException e) {
            if (EtcdCalls.isCompacted(e)) {
                long compactRevision = calls.await(compacted, "compaction notice of a watch on '" + prefix + "'");
                throw new HistoryCompactedException(afterRevision, compactRevision);
            }
            if (e.getErrorCode() != ErrorCode.OUT_OF_RANGE) {
                throw e;
            }
            // A future revision: nothing to replay.
        }
    }

    private void open() {
        Stream stream;
        synchronized (this) {
            if (closed) {
                return;
            }
            stream = new Stream();
            current = stream;
        }
        WatchOption option = WatchOption.builder().isPrefix(true).withRevision(nextRevision)
                .withCreateNotify(true).withRequireLeader(true).build();
        stream.attach(watchClient.watch(prefixBytes, option, stream));
    }

    private void resumeLater() {
        try {
            scheduler.schedule(this::resume, resumeDelay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("not resuming the watch on '{}': the store is closing", prefix);
        }
    }

    private void resume() {
        try {
            open();
        } catch (RuntimeException e) {
            LOG.warn("resuming the watch on '{}' failed; retrying", prefix, e);
            resumeLater();
        }
    }

    private void rescanAfter(Duration delay) {
        try {
            scheduler.schedule(this::rescan, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("not rescanning the prefix '{}': the store is closing", prefix);
        }
    }

    /** Delivers the difference between the live keys and a fresh read, then resumes after that read. */
    private void rescan() {
        synchronized (this) {
            if (closed) {
                return;
            }
        }
        EtcdMetaKv.PrefixSnapshot snapshot;
        try {
            snapshot = reader.read(prefix, 0);
        } catch (RuntimeException e) {
            LOG.warn("rescanning the prefix '{}' failed; retrying", prefix, e);
            rescanAfter(resumeDelay);
            return;
        }
        List<KvEvent> changes = new ArrayList<>();
        synchronized (live) {
            TreeSet<String> gone = new TreeSet<>(live.keySet());
            for (KvEntry entry : snapshot.entries()) {
                gone.remove(entry.key());
                Long delivered = live.get(entry.key());
                if (delivered == null || delivered != entry.modRevision()) {
                    changes.add(new KvEvent(KvEvent.Type.PUT, entry));
                }
            }
            changes.sort(Comparator.comparingLong(e -> e.entry().modRevision()));
            for (String key : gone) {
                changes.add(new KvEvent(KvEvent.Type.DELETE, new KvEntry(key, new byte[0], 0, snapshot.revision(), 0, 0)));
            }
            changes.forEach(this::track);
        }
        changes.forEach(delivery::offer);
        nextRevision = snapshot.revision() + 1;
        LOG.warn("watch on '{}' rescanned the prefix at revision {}: {} changes delivered; resuming",
                prefix, snapshot.revision(), changes.size());
        resume();
    }

    @Override
    public void close() {
        delivery.close();
    }

    /** Called once by the delivery when it closes. */
    private void stop() {
        Stream stream;
        synchronized (this) {
            closed = true;
            stream = current;
            current = null;
        }
        if (stream != null) {
            stream.abandon();
        }
        onClose.accept(this);
    }

    /** One etcd watch stream; abandoned (never reused) when it fails, ends or the watch closes. */
    private final class Stream implements Watch.Listener {
        private Watch.Watcher watcher;
        private boolean abandoned;

        void attach(Watch.Watcher w) {
            boolean closeNow;
            synchronized (this) {
                watcher = w;
                closeNow = abandoned;
            }
            if (closeNow) {
                w.close();
            }
        }

        /** Returns false if already abandoned. The jetcd watcher is closed outside this lock: jetcd calls back under its own. */
        boolean abandon() {
            Watch.Watcher w;
            synchronized (this) {
                if (abandoned) {
                    return false;
                }
                abandoned = true;
                w = watcher;
            }
            if (w != null) {
                w.close();
            }
            return true;
        }

        private synchronized boolean isAbandoned() {
            return abandoned;
        }

        @Override
        public void onNext(WatchResponse response) {
            if (isAbandoned()) {
                return;
            }
            if (response.isCreatedNotify()) {
                firstCreated.complete(null);
                if (interrupted) {
                    interrupted = false;
                    LOG.info("watch on '{}' resumed from revision {}", prefix, nextRevision);
                }
                return;
            }
            long from = nextRevision;
            long next = from;
            for (WatchEvent received : response.getEvents()) {
                KvEvent event = Conversions.event(received);
                long revision = event.entry().modRevision();
                if (revision >= from) {
                    track(event);
                    delivery.offer(event);
                    next = revision + 1;
                }
            }
            nextRevision = next;
        }

        @Override
        public void onError(Throwable failure) {
            if (!abandon()) {
                return;
            }
            EtcdException error = EtcdCalls.toEtcdException(failure);
            if (error instanceof CompactedException compaction) {
                compacted.complete(compaction.getCompactedRevision());
                if (started) {
                    LOG.warn("watch on '{}': etcd compacted its history up to revision {} before revision {} was received; "
                            + "rescanning the prefix", prefix, compaction.getCompactedRevision(), nextRevision);
                    rescanAfter(Duration.ZERO);
                }
                return;
            }
            if (!interrupted) {
                interrupted = true;
                LOG.warn("watch on '{}' interrupted before revision {} ({}); resuming", prefix, nextRevision, error.getMessage());
            }
            resumeLater();
        }

        @Override
        public void onCompleted() {
            if (abandon()) {
                interrupted = true;
                LOG.warn("etcd ended the watch stream on '{}' before revision {}; resuming", prefix, nextRevision);
                resumeLater();
            }
        }
    }
}
