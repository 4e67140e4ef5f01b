package io.elanus.rpc;

import io.elanus.proto.ListenerAck;
import io.elanus.proto.ListenerEvent;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Server side of a listener stream: the role's listener calls become {@link #publish}, which sends
 * the event to every subscribed stream, in subscription order, and waits for each subscriber's
 * acknowledgement, so the role sees the same thing as with in-process listeners: the call returns
 * once the listeners have run, and a listener's failure is thrown back at the role. A subscriber
 * whose stream breaks, or that does not acknowledge within {@link #ACK_TIMEOUT}, is dropped (its
 * client re-subscribes and re-scans); the event goes on to the others.
 */
public final class EventBroadcaster {
    private static final Logger LOG = LoggerFactory.getLogger(EventBroadcaster.class);
    /** Listeners may load whole segments (hand-off); a subscriber that died is noticed sooner, by keepalive. */
    static final Duration ACK_TIMEOUT = Duration.ofMinutes(10);

    private final String name;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

    /** @param name what the stream carries, for logs */
    public EventBroadcaster(String name) {
        this.name = name;
    }

    /** Serves one subscription call: registers the stream and confirms it with a {@code seq 0} event. */
    public StreamObserver<ListenerAck> subscribe(StreamObserver<ListenerEvent> events) {
        Subscriber s = new Subscriber((ServerCallStreamObserver<ListenerEvent>) events);
        s.start();
        return s;
    }

    /** Delivers the event to every subscriber; throws the first listener failure, as an in-process listener would. */
    public void publish(ListenerEvent event) {
        for (Subscriber s : subscribers) {
            s.deliver(event);
        }
    }

    private final class Subscriber implements StreamObserver<ListenerAck> {
        private final ServerCallStreamObserver<ListenerEvent> out;
        private final Map<Long, CompletableFuture<ListenerAck>> pending = new ConcurrentHashMap<>();
        /** Guarded by this, as are sends on {@code out}: events go out in the order their numbers were given. */
        private long lastSeq;
        private boolean dropped;

        Subscriber(ServerCallStreamObserver<ListenerEvent> out) {
            this.out = out;
        }

        void start() {
            out.setOnCancelHandler(() -> drop(null));
            // Registered and confirmed under the lock: no event can overtake the confirmation.
            synchronized (this) {
                subscribers.add(this);
                out.onNext(ListenerEvent.newBuilder().setSeq(0).build());
            }
        }

        void deliver(ListenerEvent event) {
            CompletableFuture<ListenerAck> ack = new CompletableFuture<>();
            synchronized (this) {
                if (dropped) {
                    return;
                }
                long seq = ++lastSeq;
                pending.put(seq, ack);
                try {
                    out.onNext(event.toBuilder().setSeq(seq).build());
                } catch (RuntimeException e) {
                    LOG.warn("{} subscriber unreachable; dropped", name, e);
                    drop(Status.UNAVAILABLE);
                    return;
                }
            }
            ListenerAck result;
            try {
                result = ack.get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                LOG.warn("{} subscriber did not acknowledge within {}; dropped", name, ACK_TIMEOUT);
                drop(Status.DEADLINE_EXCEEDED.withDescription("listener did not acknowledge in time"));
                return;
            } catch (ExecutionException e) {
                return; // the subscriber went away meanwhile (logged when dropped)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (result.hasError()) {
                throw RpcErrors.fromMilvusStatus(result.getError());
            }
        }

        @Override
        public void onNext(ListenerAck ack) {
            CompletableFuture<ListenerAck> f = pending.remove(ack.getSeq());
            if (f != null) {
                f.complete(ack);
            }
        }

        @Override
        public void onError(Throwable t) {
            drop(null);
        }

        @Override
        public void onCompleted() {
            drop(Status.OK);
        }

        /** Unregisters the stream and releases publishers waiting on it; ends the call with {@code status} unless it is gone already. */
        private synchronized void drop(Status status) {
            if (dropped) {
                return;
            }
            dropped = true;
            subscribers.remove(this);
            pending.values().forEach(f -> f.completeExceptionally(new IllegalStateException(name + " subscriber gone")));
            pending.clear();
            LOG.info("{} subscriber left", name);
            if (status != null && !out.isCancelled()) {
                try {
                    if (status.isOk()) {
                        out.onCompleted();
                    } else {
                        out.onError(status.asRuntimeException());
                    }
                } catch (RuntimeException e) {
                    LOG.debug("ending a {} stream failed", name, e);
                }
            }
        }
    }
}
