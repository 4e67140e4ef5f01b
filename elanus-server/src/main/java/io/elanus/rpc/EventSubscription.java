package io.elanus.rpc;

import io.elanus.common.MilvusError;
import io.elanus.common.MilvusException;
import io.elanus.common.NamedThreads;
import io.elanus.proto.ListenerAck;
import io.elanus.proto.ListenerEvent;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * Client side of a listener stream (see {@link EventBroadcaster}). One background thread owns the
 * subscription: the stream's callbacks run on it, so the listener sees events one at a time in
 * the order the server published them, and each event is acknowledged after the listener returns
 * (with the listener's failure, if it threw). When the stream breaks, the thread re-opens it every
 * {@link #RETRY} until the peer is back. Events published while the stream was down are not
 * replayed: after each re-open {@code onResubscribed} runs, for the owner to re-scan the state
 * it follows.
 * <p>
 * Bounded by back-pressure: the stream asks the server for one event at a time, the next only once
 * the listener returned, so events a slow listener has not taken wait in gRPC's flow-control
 * window and, beyond it, at the publisher, which waits for each acknowledgement anyway. The
 * thread's queue then only ever holds the stream's callbacks and the re-open, a few at once;
 * it is bounded all the same, and a callback it refused would be logged.
 */
public final class EventSubscription implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventSubscription.class);
    static final Duration RETRY = Duration.ofSeconds(1);
    /** Callbacks waiting for the thread: with one event requested at a time, a handful at most. */
    private static final int CALLBACK_QUEUE = 16;

    /** Opens the stream with callbacks on the given executor; returns where acknowledgements go. */
    public interface Opener extends BiFunction<Executor, StreamObserver<ListenerEvent>, StreamObserver<ListenerAck>> {
    }

    private final String peer;
    private final Opener opener;
    private final Consumer<ListenerEvent> listener;
    private final Runnable onResubscribed;
    private final ThreadPoolExecutor thread;
    private final CountDownLatch firstSubscription = new CountDownLatch(1);
    private volatile boolean closed;
    private volatile ClientCallStreamObserver<ListenerAck> current;

    private EventSubscription(String peer, Opener opener, Consumer<ListenerEvent> listener, Runnable onResubscribed) {
        this.peer = peer;
        this.opener = opener;
        this.listener = listener;
        this.onResubscribed = onResubscribed;
        this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(CALLBACK_QUEUE),
                NamedThreads.daemon("events-" + peer.replace(' ', '-')));
    }

    /**
     * Subscribes and returns once the server confirmed the subscription: every event published
     * from then on reaches {@code listener}. Throws a service-unavailable {@link MilvusException}
     * when the peer cannot be subscribed to within {@code timeout}.
     */
    public static EventSubscription open(String peer, Duration timeout, Opener opener, Consumer<ListenerEvent> listener,
                                         Runnable onResubscribed) {
        EventSubscription s = new EventSubscription(peer, opener, listener, onResubscribed);
        s.thread.execute(s::connect);
        boolean subscribed;
        try {
            subscribed = s.firstSubscription.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            subscribed = false;
        }
        if (!subscribed) {
            s.close();
            throw new MilvusException(MilvusError.SERVICE_UNAVAILABLE,
                    "cannot subscribe to the events of " + peer + ": " + MilvusError.SERVICE_UNAVAILABLE.message);
        }
        return s;
    }

    private void connect() {
        if (!closed) {
            opener.apply(this::onThread, new Stream());
        }
    }

    /** Stream callbacks that arrive after {@link #close} (the cancellation's own) have nothing left to do. */
    private void onThread(Runnable callback) {
        try {
            thread.execute(callback);
        } catch (RejectedExecutionException e) {
            if (closed) {
                LOG.debug("dropping a callback of the closed subscription to {}", peer);
            } else {
                LOG.error("the subscription to {} has {} callbacks waiting; one is dropped", peer, CALLBACK_QUEUE);
            }
        }
    }

    /** Callbacks of one opened stream; all run on {@link #thread}. */
    private final class Stream implements ClientResponseObserver<ListenerAck, ListenerEvent> {
        private ClientCallStreamObserver<ListenerAck> acks;

        @Override
        public void beforeStart(ClientCallStreamObserver<ListenerAck> requests) {
            acks = requests;
            current = requests;
            requests.disableAutoRequestWithInitial(1);
        }

        @Override
        public void onNext(ListenerEvent event) {
            if (event.getKindCase() == ListenerEvent.KindCase.KIND_NOT_SET) {
                subscribed();
                acks.request(1);
                return;
            }
            ListenerAck.Builder ack = ListenerAck.newBuilder().setSeq(event.getSeq());
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                ack.setError(RpcErrors.toMilvusStatus(e));
            }
            acks.onNext(ack.build());
            acks.request(1);
        }

        private void subscribed() {
            if (firstSubscription.getCount() > 0) {
                firstSubscription.countDown();
                return;
            }
            LOG.info("events of {} subscribed again; re-scanning", peer);
            try {
                onResubscribed.run();
            } catch (RuntimeException e) {
                LOG.warn("re-scan after re-subscribing to {} failed", peer, e);
            }
        }

        @Override
        public void onError(Throwable t) {
            retry(t.toString());
        }

        @Override
        public void onCompleted() {
            retry("stream ended");
        }

        private void retry(String why) {
            if (closed) {
                return;
            }
            LOG.info("events of {} interrupted ({}); re-subscribing in {}", peer, why, RETRY);
            CompletableFuture.delayedExecutor(RETRY.toMillis(), TimeUnit.MILLISECONDS, EventSubscription.this::onThread)
                    .execute(EventSubscription.this::connect);
        }
    }

    @Override
    public void close() {
        closed = true;
        ClientCallStreamObserver<ListenerAck> c = current;
        if (c != null) {
            c.cancel("subscription closed", null);
        }
        thread.shutdown();
    }
}
