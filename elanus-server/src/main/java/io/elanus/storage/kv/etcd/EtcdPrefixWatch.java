package io.elanus.storage.kv.etcd;

import io.elanus.storage.kv.HistoryCompactedException;
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
 * <p>Threads: jetcd's callback thread receives events and failures (one stream at a time);
 * resumptions run on the store's scheduler; {@link #close} may come from any thread.
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
    /** Where the next stream starts: one past the last revision received. Written by stream callbacks. */
    private volatile long nextRevision;
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
    void start(KV kv, EtcdCalls calls) {
        open();
        calls.await(firstCreated, "creation of a watch on '" + prefix + "'");
        requireHistory(kv, calls);
        started = true;
        delivery.start();
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
                    LOG.error("watch on '{}' stopped: etcd compacted its history up to revision {} before revision {} "
                            + "was received; its owner must rescan", prefix, compaction.getCompactedRevision(), nextRevision);
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
