package io.elanus.storage.kv;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * One watch: a queue of matching events drained in order by the watch's own thread. Also the
 * delivery end of the etcd store's watches, which offer the events they receive from etcd.
 */
public final class PrefixWatch implements KvWatch {

    private static final Logger LOG = LoggerFactory.getLogger(PrefixWatch.class);
    private static final KvEvent STOP = new KvEvent(KvEvent.Type.DELETE, new KvEntry("", new byte[0], 0, 0, 0, 0));

    private final String prefix;
    private final long afterRevision;
    private final KvWatchListener listener;
    private final Consumer<PrefixWatch> onClose;
    private final LinkedBlockingQueue<KvEvent> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    public PrefixWatch(String prefix, long afterRevision, KvWatchListener listener, Consumer<PrefixWatch> onClose) {
        this.prefix = prefix;
        this.afterRevision = afterRevision;
        this.listener = listener;
        this.onClose = onClose;
        this.thread = Thread.ofPlatform().daemon().name("elanus-kv-watch[" + prefix + "]").unstarted(this::deliver);
    }

    boolean matches(KvEvent event) {
        return event.entry().modRevision() > afterRevision && event.entry().key().startsWith(prefix);
    }

    public void offer(KvEvent event) {
        queue.add(event);
    }

    public void start() {
        thread.start();
    }

    private void deliver() {
        while (!closed) {
            KvEvent event;
            try {
                event = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (event == STOP || closed) {
                return;
            }
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("watch listener on prefix '{}' failed on {} of {}", prefix, event.type(), event.entry().key(), e);
            }
        }
    }

    /** Stops delivery; once it returns no further event is delivered (unless called by the listener itself). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        onClose.accept(this);
        queue.add(STOP);
        if (Thread.currentThread() != thread) {
            boolean interrupted = false;
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
