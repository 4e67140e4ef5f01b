package io.elanus.proxy;

import io.elanus.api.DataCoordClient;
import io.elanus.api.QueryCoordClient;
import io.elanus.api.QueryNodeClient;
import io.elanus.api.RootCoordClient;
import io.elanus.api.SegmentListener;
import io.elanus.common.Config;
import io.elanus.common.MilvusError;
import io.elanus.common.MilvusException;
import io.elanus.proto.CollectionInfo;
import io.elanus.proto.IndexMeta;
import io.elanus.rootcoord.RootCoord;
import io.elanus.storage.kv.EmbeddedMetaKv;
import io.milvus.grpc.CollectionSchema;
import io.milvus.grpc.ConsistencyLevel;
import io.milvus.grpc.DataType;
import io.milvus.grpc.FieldSchema;
import io.milvus.grpc.KeyValuePair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The proxy's meta cache answers from memory until the coordinators say otherwise: it forgets on the
 * collection and segment events, on the InvalidateCollectionMetaCache that follows every proxy's DDL
 * (this proxy's at once, other proxies' through rootcoord), on a lost event stream; and it never keeps
 * an answer fetched while an invalidation ran, nor a negative or partial one.
 */
class MetaCacheTest {
    private static final String DB = "default";

    @TempDir
    Path dir;
    private EmbeddedMetaKv kv;
    private RootCoord rootCoord;
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    /** What the fake datacoord and querycoord answer; tests change them as a coordinator would. */
    private final Map<Long, List<IndexMeta>> indexes = new ConcurrentHashMap<>();
    private final Map<Long, List<Long>> loaded = new ConcurrentHashMap<>();
    private final Map<Long, Map<String, QueryNodeClient>> leaders = new ConcurrentHashMap<>();
    private final List<SegmentListener> segmentListeners = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch loadedPartitionsGate = new CountDownLatch(0);
    private volatile CountDownLatch loadedPartitionsEntered = new CountDownLatch(0);

    @BeforeEach
    void start() throws IOException {
        kv = EmbeddedMetaKv.open(dir);
        rootCoord = new RootCoord(1, kv, Config.defaults(), null);
        rootCoord.init();
        rootCoord.start();
    }

    @AfterEach
    void stop() {
        rootCoord.stop();
        kv.close();
    }

    /** A cache over the real rootcoord and fake datacoord and querycoord, all counted, subscribed to their events. */
    private MetaCache cache() {
        MetaCache cache = new MetaCache(counting(RootCoordClient.class, rootCoord), counting(DataCoordClient.class, dataCoord()),
                counting(QueryCoordClient.class, queryCoord()));
        cache.subscribe();
        return cache;
    }

    private int calls(String method) {
        AtomicInteger n = calls.get(method);
        return n == null ? 0 : n.get();
    }

    @Test
    void aKnownCollectionIsAskedOnceAndAnUnknownOneEveryTime() {
        MetaCache cache = cache();
        CollectionInfo c = create("c1");
        assertEquals(c, cache.collection(DB, "c1"));
        assertEquals(c, cache.collection(DB, "c1"));
        assertEquals(1, calls("describeCollection"));
        for (int i = 0; i < 2; i++) {
            MilvusException e = assertThrows(MilvusException.class, () -> cache.collection(DB, "nope"));
            assertEquals(MilvusError.COLLECTION_NOT_FOUND, e.kind());
        }
        assertEquals(3, calls("describeCollection"));
    }

    @Test
    void aDroppedCollectionIsForgottenUnderEveryNameBeforeTheDropReturns() {
        MetaCache cache = cache();
        CollectionInfo c = create("c1");
        rootCoord.createAlias(DB, "a1", "c1");
        assertEquals(c.getId(), cache.collection(DB, "c1").getId());
        assertEquals(c.getId(), cache.collection(DB, "a1").getId());
        rootCoord.dropAlias(DB, "a1");
        rootCoord.dropCollection(DB, "c1");
        assertEquals(MilvusError.COLLECTION_NOT_FOUND, assertThrows(MilvusException.class, () -> cache.collection(DB, "c1")).kind());
        assertEquals(MilvusError.COLLECTION_NOT_FOUND, assertThrows(MilvusException.class, () -> cache.collection(DB, "a1")).kind());
    }

    @Test
    void aCreatedPartitionIsSeenAndItsLoadIsAskedAgain() {
        MetaCache cache = cache();
        CollectionInfo c = create("c1");
        loaded.put(c.getId(), List.of(c.getPartitions(0).getId()));
        cache.collection(DB, "c1");
        assertEquals(1, cache.loadedPartitions(c.getId()).size());
        rootCoord.createPartition(DB, "c1", "p1");
        CollectionInfo withP1 = rootCoord.describeCollection(DB, "c1");
        loaded.put(c.getId(), withP1.getPartitionsList().stream().map(p -> p.getId()).toList());
        assertEquals(withP1, cache.collection(DB, "c1"));
        assertEquals(2, cache.loadedPartitions(c.getId()).size());
    }

    @Test
    void aCreatedIndexIsSeen() {
        MetaCache cache = cache();
        CollectionInfo c = create("c1");
        assertEquals(List.of(), cache.indexes(c.getId()));
        IndexMeta index = IndexMeta.newBuilder().setCollectionId(c.getId()).setIndexId(9).setFieldId(101).build();
        indexes.put(c.getId(), List.of(index));
        segmentListeners.forEach(l -> l.onIndexCreated(index));
        assertEquals(List.of(index), cache.indexes(c.getId()));
        assertEquals(List.of(index), cache.indexes(c.getId()));
        assertEquals(2, calls("indexes"));
    }

    /** Rename, alias switch and load, made through one proxy, are seen at once by it and by another proxy. */
    @Test
    void aDdlOfOneProxyIsSeenByEveryProxyBeforeItReturns() {
        MetaCache here = cache();
        MetaCache there = cache();
        MetaExpiry expiry = new MetaExpiry(here, counting(RootCoordClient.class, rootCoord));
        CollectionInfo c1 = create("c1");
        CollectionInfo c2 = create("c2");
        rootCoord.createAlias(DB, "live", "c1");
        for (MetaCache cache : List.of(here, there)) {
            assertEquals(c1.getId(), cache.collection(DB, "live").getId());
            assertEquals(c1.getId(), cache.collection(DB, "c1").getId());
            assertTrue(cache.loadedPartitions(c1.getId()).isEmpty());
        }

        rootCoord.alterAlias(DB, "live", "c2");
        expiry.collection(DB, "live", 0);
        rootCoord.renameCollection(DB, "c1", "", "c1_old");
        expiry.collection(DB, "c1", 0);
        loaded.put(c1.getId(), List.of(c1.getPartitions(0).getId()));
        expiry.collection(DB, "c1_old", c1.getId());

        for (MetaCache cache : List.of(here, there)) {
            assertEquals(c2.getId(), cache.collection(DB, "live").getId());
            assertEquals(MilvusError.COLLECTION_NOT_FOUND, assertThrows(MilvusException.class, () -> cache.collection(DB, "c1")).kind());
            assertEquals(c1.getId(), cache.collection(DB, "c1_old").getId());
            assertEquals(List.of(c1.getPartitions(0).getId()), cache.loadedPartitions(c1.getId()));
        }
    }

    @Test
    void everythingIsAskedAgainOnceEventsMayHaveBeenMissed() {
        MetaCache cache = cache();
        CollectionInfo c = create("c1");
        cache.collection(DB, "c1");
        cache.indexes(c.getId());
        cache.onCollectionEventsMissed();
        cache.collection(DB, "c1");
        cache.indexes(c.getId());
        cache.onSegmentEventsMissed();
        cache.indexes(c.getId());
        assertEquals(2, calls("describeCollection"));
        assertEquals(3, calls("indexes"));
    }

    @Test
    void anAnswerFetchedWhileAnInvalidationRanIsNotKept() throws Exception {
        MetaCache cache = cache();
        CollectionInfo c = create("c1");
        loaded.put(c.getId(), List.of(1L));
        loadedPartitionsGate = new CountDownLatch(1);
        loadedPartitionsEntered = new CountDownLatch(1);
        List<List<Long>> seen = new CopyOnWriteArrayList<>();
        Thread reader = Thread.ofPlatform().start(() -> seen.add(cache.loadedPartitions(c.getId())));
        assertTrue(loadedPartitionsEntered.await(30, TimeUnit.SECONDS));
        // The coordinator answered {1} and then the collection was released and loaded with {2}, before the answer arrived.
        loaded.put(c.getId(), List.of(2L));
        cache.invalidateLoad(c.getId());
        loadedPartitionsGate.countDown();
        reader.join(30_000);
        assertEquals(List.of(List.of(1L)), seen, "the late answer is the caller's");
        assertEquals(List.of(2L), cache.loadedPartitions(c.getId()), "but it was not kept");
        assertEquals(List.of(2L), cache.loadedPartitions(c.getId()));
        assertEquals(2, calls("loadedPartitions"));
    }

    @Test
    void anUnloadedCollectionAndPartialShardLeadersAreAskedEveryTime() {
        MetaCache cache = cache();
        CollectionInfo c = rootCoord.createCollection(DB, schema("c1"), 2, ConsistencyLevel.Bounded, List.of(), 0);
        QueryNodeClient node = node(5);
        assertTrue(cache.loadedPartitions(c.getId()).isEmpty());
        assertTrue(cache.loadedPartitions(c.getId()).isEmpty());
        assertEquals(2, calls("loadedPartitions"));

        leaders.put(c.getId(), Map.of(c.getVchannels(0), node));
        assertEquals(1, cache.shardLeaders(c).size());
        assertEquals(1, cache.shardLeaders(c).size());
        assertEquals(2, calls("shardLeaders"));
        Map<String, QueryNodeClient> all = Map.of(c.getVchannels(0), node, c.getVchannels(1), node);
        leaders.put(c.getId(), all);
        assertSame(all, cache.shardLeaders(c));
        assertSame(all, cache.shardLeaders(c));
        assertEquals(3, calls("shardLeaders"));
        cache.invalidateLoad(c.getId());
        assertSame(all, cache.shardLeaders(c));
        assertEquals(4, calls("shardLeaders"));
    }

    // ------------------------------------------------------------------ fakes

    private CollectionInfo create(String name) {
        return rootCoord.createCollection(DB, schema(name), 1, ConsistencyLevel.Bounded, List.of(), 0);
    }

    private static CollectionSchema schema(String name) {
        return CollectionSchema.newBuilder().setName(name)
                .addFields(FieldSchema.newBuilder().setName("id").setDataType(DataType.Int64).setIsPrimaryKey(true))
                .addFields(FieldSchema.newBuilder().setName("v").setDataType(DataType.FloatVector)
                        .addTypeParams(KeyValuePair.newBuilder().setKey("dim").setValue("4")))
                .build();
    }

    static QueryNodeClient node(long id) {
        return (QueryNodeClient) java.lang.reflect.Proxy.newProxyInstance(QueryNodeClient.class.getClassLoader(),
                new Class<?>[]{QueryNodeClient.class}, (p, method, args) -> switch (method.getName()) {
                    case "nodeId" -> id;
                    case "toString" -> "node " + id;
                    case "hashCode" -> Long.hashCode(id);
                    case "equals" -> p == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private DataCoordClient dataCoord() {
        return (DataCoordClient) java.lang.reflect.Proxy.newProxyInstance(DataCoordClient.class.getClassLoader(),
                new Class<?>[]{DataCoordClient.class}, (p, method, args) -> switch (method.getName()) {
                    case "indexes" -> indexes.getOrDefault((Long) args[0], List.of());
                    case "addSegmentListener" -> segmentListeners.add((SegmentListener) args[0]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private QueryCoordClient queryCoord() {
        return (QueryCoordClient) java.lang.reflect.Proxy.newProxyInstance(QueryCoordClient.class.getClassLoader(),
                new Class<?>[]{QueryCoordClient.class}, (p, method, args) -> switch (method.getName()) {
                    case "loadedPartitions" -> {
                        List<Long> answer = loaded.getOrDefault((Long) args[0], List.of());
                        loadedPartitionsEntered.countDown();
                        assertTrue(loadedPartitionsGate.await(30, TimeUnit.SECONDS));
                        yield answer;
                    }
                    case "shardLeaders" -> leaders.getOrDefault((Long) args[0], Map.of());
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private <T> T counting(Class<T> api, T target) {
        return api.cast(java.lang.reflect.Proxy.newProxyInstance(api.getClassLoader(), new Class<?>[]{api}, (p, method, args) -> {
            calls.computeIfAbsent(method.getName(), m -> new AtomicInteger()).incrementAndGet();
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }));
    }
}
