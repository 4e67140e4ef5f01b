package io.elanus.proxy;

import io.elanus.api.QueryCoordClient;
import io.elanus.api.QueryNodeClient;
import io.elanus.common.MilvusError;
import io.elanus.common.MilvusException;
import io.elanus.proto.CollectionInfo;
import io.milvus.grpc.CollectionSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A read calls all its shards at once, gathers their answers in shard order, and retries a failed
 * shard once on its new leader when the cached leader was stale.
 */
class ShardFanOutTest {
    private static final CollectionInfo THREE_SHARDS = CollectionInfo.newBuilder().setId(7)
            .setSchema(CollectionSchema.newBuilder().setName("books"))
            .addVchannels("v0").addVchannels("v1").addVchannels("v2").build();

    /** What the fake querycoord answers; tests change it as querycoord would. */
    private final AtomicReference<Map<String, QueryNodeClient>> leaders = new AtomicReference<>();
    private final AtomicReference<List<Long>> loaded = new AtomicReference<>(List.of(1L));
    private final AtomicInteger leaderLookups = new AtomicInteger();
    private final MetaCache meta = new MetaCache(null, null, queryCoord());
    private final ShardFanOut fanOut = new ShardFanOut(meta, 4);

    @AfterEach
    void close() {
        fanOut.close();
    }

    private ReadScope scope() {
        return new ReadScope(THREE_SHARDS, Set.of(1L), meta.shardLeaders(THREE_SHARDS), 1);
    }

    private static Map<String, QueryNodeClient> placement(long... nodeIds) {
        Map<String, QueryNodeClient> out = new LinkedHashMap<>();
        for (int i = 0; i < nodeIds.length; i++) {
            out.put("v" + i, MetaCacheTest.node(nodeIds[i]));
        }
        return out;
    }

    /** Each call waits until every shard's call has started: one after another, the first would wait in vain. */
    @Test
    void theShardsOfAReadAreCalledAtOnce() {
        leaders.set(placement(1, 2, 3));
        CountDownLatch allStarted = new CountDownLatch(3);
        Map<String, String> threads = new ConcurrentHashMap<>();
        List<Boolean> overlapped = fanOut.onEveryShard(scope(), (leader, vchannel) -> {
            threads.put(vchannel, Thread.currentThread().getName());
            allStarted.countDown();
            try {
                return allStarted.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals(List.of(true, true, true), overlapped);
        assertEquals(Thread.currentThread().getName(), threads.get("v0"), "the request's thread calls the first shard itself");
    }

    @Test
    void answersComeInShardOrder() {
        leaders.set(placement(1, 2, 3));
        List<String> answers = fanOut.onEveryShard(scope(), (leader, vchannel) -> vchannel + "@" + leader.nodeId());
        assertEquals(List.of("v0@1", "v1@2", "v2@3"), answers);
    }

    @Test
    void aShardWhoseCachedLeaderMovedIsCalledAgainOnItsNewLeader() {
        leaders.set(placement(1, 2, 3));
        ReadScope scope = scope();
        // Node 2 died; querycoord placed its channel on node 4.
        leaders.set(placement(1, 4, 3));
        Map<String, AtomicInteger> callsOf = new ConcurrentHashMap<>();
        List<String> answers = fanOut.onEveryShard(scope, (leader, vchannel) -> {
            callsOf.computeIfAbsent(vchannel, v -> new AtomicInteger()).incrementAndGet();
            if (leader.nodeId() == 2) {
                throw new MilvusException(MilvusError.SERVICE_UNAVAILABLE, "querynode 2 unreachable");
            }
            return vchannel + "@" + leader.nodeId();
        });
        assertEquals(List.of("v0@1", "v1@4", "v2@3"), answers);
        assertEquals(Map.of("v0", 1, "v1", 2, "v2", 1), Map.of("v0", callsOf.get("v0").get(), "v1", callsOf.get("v1").get(),
                "v2", callsOf.get("v2").get()), "only the failed shard is called again");
        assertEquals(placement(1, 4, 3).keySet(), meta.shardLeaders(THREE_SHARDS).keySet());
        assertEquals(4, meta.shardLeaders(THREE_SHARDS).get("v1").nodeId(), "the cache holds the new leaders");
    }

    @Test
    void aFailureOnALeaderThatDidNotMoveIsTheReadsFailure() {
        leaders.set(placement(1, 2, 3));
        AtomicInteger calls = new AtomicInteger();
        MilvusException bad = MilvusException.invalidParameter("ef(5) should be larger than k(10)");
        MilvusException e = assertThrows(MilvusException.class, () -> fanOut.onEveryShard(scope(), (leader, vchannel) -> {
            calls.incrementAndGet();
            if (vchannel.equals("v2")) {
                throw bad;
            }
            return 1;
        }));
        assertSame(bad, e);
        assertEquals(3, calls.get(), "no shard was called twice");
        assertEquals(2, leaderLookups.get(), "the leaders were asked again once");
    }

    @Test
    void aReadOfACollectionReleasedMeanwhileFailsAsNotLoaded() {
        leaders.set(placement(1, 2, 3));
        ReadScope scope = scope();
        loaded.set(List.of());
        leaders.set(Map.of());
        MilvusException e = assertThrows(MilvusException.class, () -> fanOut.onEveryShard(scope, (leader, vchannel) -> {
            throw new MilvusException(MilvusError.CHANNEL_NOT_FOUND, "channel not found[channel=" + vchannel + "]");
        }));
        assertEquals(MilvusError.COLLECTION_NOT_LOADED, e.kind());
    }

    private QueryCoordClient queryCoord() {
        return (QueryCoordClient) java.lang.reflect.Proxy.newProxyInstance(QueryCoordClient.class.getClassLoader(),
                new Class<?>[]{QueryCoordClient.class}, (p, method, args) -> switch (method.getName()) {
                    case "loadedPartitions" -> loaded.get();
                    case "shardLeaders" -> {
                        leaderLookups.incrementAndGet();
                        yield leaders.get();
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
