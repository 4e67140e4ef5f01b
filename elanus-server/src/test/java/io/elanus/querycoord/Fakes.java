package io.elanus.querycoord;

import io.elanus.api.QueryNodeClient;
import io.elanus.proto.SegmentMeta;

import java.lang.reflect.Proxy;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** Role clients for querycoord's unit tests, implementing only the calls querycoord makes. */
final class Fakes {
    private Fakes() {
    }

    /**
     * The interface implemented by the given methods, by name; any other call fails. Dynamic, so
     * the fakes keep compiling when a role API grows a method querycoord does not call.
     */
    static <T> T implement(Class<T> type, Map<String, Function<Object[], Object>> methods) {
        Object fake = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, (self, method, args) -> {
            Function<Object[], Object> body = methods.get(method.getName());
            if (body != null) {
                return body.apply(args == null ? new Object[0] : args);
            }
            return switch (method.getName()) {
                case "toString" -> type.getSimpleName() + " fake";
                case "hashCode" -> System.identityHashCode(self);
                case "equals" -> self == args[0];
                default -> throw new UnsupportedOperationException(type.getSimpleName() + "." + method.getName());
            };
        });
        return type.cast(fake);
    }

    /**
     * A query node that records the calls it gets. A channel it watches has tsafe
     * {@link #TSAFE} (past every timestamp of the tests) and WAL position {@link #WAL_POSITION}.
     * {@link #gate} holds watchChannel calls back; {@link #failingWatches} fail; once
     * {@link #dead}, every call fails as on a killed process.
     */
    static final class QueryNode {
        static final long TSAFE = Long.MAX_VALUE / 2;
        static final long WAL_POSITION = 7;

        final long id;
        final Set<String> watched = ConcurrentHashMap.newKeySet();
        final List<String> calls = new CopyOnWriteArrayList<>();
        final AtomicInteger failingWatches = new AtomicInteger();
        volatile CountDownLatch gate = new CountDownLatch(0);
        volatile boolean dead;
        final QueryNodeClient client;

        QueryNode(long id) {
            this.id = id;
            this.client = implement(QueryNodeClient.class, Map.of(
                    "nodeId", a -> id,
                    "watchChannel", a -> {
                        watch((String) a[1], (Collection<?>) a[3]);
                        return null;
                    },
                    "tsafe", a -> alive() && watched.contains((String) a[0]) ? TSAFE : -1L,
                    "walPosition", a -> alive() && watched.contains((String) a[0]) ? WAL_POSITION : -1L,
                    "onSegmentFlushed", a -> record("flushed " + ((SegmentMeta) a[0]).getId()),
                    "loadIndex", a -> record("index " + a[1] + " " + a[3]),
                    "releaseChannel", a -> {
                        watched.remove((String) a[0]);
                        return record("releaseChannel " + a[0]);
                    },
                    "releaseCollection", a -> {
                        watched.removeIf(v -> v.contains("c" + a[0] + "v"));
                        return record("releaseCollection " + a[0]);
                    }));
        }

        private void watch(String vchannel, Collection<?> flushed) {
            alive();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (failingWatches.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new IllegalStateException("query node " + id + " cannot load " + vchannel + " now");
            }
            List<Long> segments = flushed.stream().map(s -> (SegmentMeta) s).filter(s -> s.getVchannel().equals(vchannel))
                    .map(SegmentMeta::getId).sorted().toList();
            watched.add(vchannel);
            calls.add("watch " + vchannel + " " + segments);
        }

        private boolean alive() {
            if (dead) {
                throw new IllegalStateException("query node " + id + " is unreachable");
            }
            return true;
        }

        private Object record(String call) {
            alive();
            calls.add(call);
            return null;
        }
    }
}
