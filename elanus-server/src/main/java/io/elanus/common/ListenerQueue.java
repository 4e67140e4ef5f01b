package io.elanus.common;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Delivers a role's events to its listeners after the state change and off the role's lock. The
 * role queues an event while it holds its lock, so events queue in the order of the changes; one
 * publisher thread calls every listener with one event at a time, in that order. The role's caller
 * then waits, without the lock, until its event was delivered, and gets the first listener failure,
 * as if it had called the listeners itself (a listener that fails does not keep the event from the
 * others: the change is made).
 * <p>
 * Bounded: a role reserves a slot before it takes its lock. With {@code capacity} events queued or
 * being delivered the next caller waits for a slot (back-pressure), never while holding the lock.
 * A listener must not publish through the same queue: it would wait for its own delivery.
 *
 * @param <L> the listener type
 */
public final class ListenerQueue<L> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ListenerQueue.class);

    private final String name;
    private final Semaphore room;
    private final BlockingQueue<Delivery<L>> queue;
    private final List<L> listeners = new CopyOnWriteArrayList<>();
    private final Thread publisher;
    private volatile boolean closed;

    private record Delivery<L>(Consumer<L> event, CompletableFuture<Void> done) {
    }

    /** @param name what the events are, for the thread's name and logs */
    public ListenerQueue(String name, int capacity) {
        this.name = name;
        this.room = new Semaphore(capacity);
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.publisher = Thread.ofPlatform().daemon().name(name + "-publisher").unstarted(this::run);
    }

    public void add(L listener) {
        listeners.add(listener);
    }

    public void start() {
        publisher.start();
    }

    /** Reserves room for one event, waiting while the queue is full; call it before taking the lock the event is published under. */
    public Slot<L> reserve() {
        room.acquireUninterruptibly();
        return new Slot<>(this);
    }

    /** Room for one event; closing it without publishing gives the room back. */
    public static final class Slot<L> implements AutoCloseable {
        private final ListenerQueue<L> owner;
        private Delivery<L> delivery;

        private Slot(ListenerQueue<L> owner) {
            this.owner = owner;
        }

        /** Queues the event; call it under the lock that orders the state changes. At most once per slot. */
        public void publish(Consumer<L> event) {
            if (delivery != null) {
                throw new IllegalStateException("one event per slot");
            }
            delivery = new Delivery<>(event, new CompletableFuture<>());
            synchronized (owner) {
                if (owner.closed) {
                    delivery.done().completeExceptionally(stopped(owner.name));
                    owner.room.release();
                    return;
                }
                owner.queue.add(delivery); // never full: the room was reserved
            }
        }

        /** Waits until every listener has seen the event (call it off the lock); rethrows the first listener failure. */
        public void awaitDelivered() {
            if (delivery == null) {
                return;
            }
            if (Thread.currentThread() == owner.publisher) {
                throw new IllegalStateException("a " + owner.name + " listener published an event of its own; it would wait for itself");
            }
            try {
                delivery.done().join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw e;
            }
        }

        @Override
        public void close() {
            if (delivery == null) {
                owner.room.release();
            }
        }
    }

    private void run() {
        while (!closed) {
            Delivery<L> d;
            try {
                d = queue.poll(500, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (d != null) {
                deliver(d);
            }
        }
    }

    private void deliver(Delivery<L> d) {
        RuntimeException first = null;
        for (L l : listeners) {
            try {
                d.event().accept(l);
            } catch (RuntimeException e) {
                LOG.warn("a {} listener failed: {}", name, e.toString());
                if (first == null) {
                    first = e;
                }
            }
        }
        room.release();
        if (first == null) {
            d.done().complete(null);
        } else {
            d.done().completeExceptionally(first);
        }
    }

    /** Stops the publisher after the event being delivered; events still queued fail their publishers' wait. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        try {
            publisher.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            Delivery<L> d;
            while ((d = queue.poll()) != null) {
                d.done().completeExceptionally(stopped(name));
                room.release();
            }
        }
    }

    private static MilvusException stopped(String name) {
        return new MilvusException(MilvusError.SERVICE_NOT_READY, name + " are no longer delivered: the role is stopping");
    }
}
