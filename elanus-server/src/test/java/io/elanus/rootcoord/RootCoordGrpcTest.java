package io.elanus.rootcoord;

import io.elanus.api.CollectionListener;
import io.elanus.rpc.rootcoord.RootCoordGrpcClient;
import io.elanus.rpc.rootcoord.RootCoordGrpcService;

import io.elanus.rpc.ChannelPool;
import io.elanus.rpc.RpcServer;
import io.elanus.common.Config;
import io.elanus.common.MilvusError;
import io.elanus.common.MilvusException;
import io.elanus.proto.CollectionInfo;
import io.elanus.proto.DatabaseInfo;
import io.elanus.proto.PartitionInfo;
import io.elanus.storage.kv.EmbeddedMetaKv;
import io.milvus.grpc.CollectionSchema;
import io.milvus.grpc.ConsistencyLevel;
import io.milvus.grpc.DataType;
import io.milvus.grpc.FieldSchema;
import io.milvus.grpc.KeyValuePair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rootcoord used through loopback gRPC behaves as the rootcoord itself: every call returns what
 * the in-process call returns, failures keep their Milvus kind and message, and collection
 * listeners in another process see each DDL event in order before the DDL call returns.
 */
class RootCoordGrpcTest {
    @TempDir
    Path dir;
    private EmbeddedMetaKv kv;
    private RootCoord rootCoord;
    private RpcServer server;
    private ChannelPool channels;
    private RootCoordGrpcClient client;

    @BeforeEach
    void start() throws IOException {
        kv = EmbeddedMetaKv.open(dir);
        rootCoord = new RootCoord(1, kv, Config.defaults(), null);
        rootCoord.init();
        rootCoord.start();
        server = serve(0);
        channels = new ChannelPool();
        client = new RootCoordGrpcClient(channels.channel("localhost:" + server.port()), Duration.ofSeconds(30));
    }

    private RpcServer serve(int port) throws IOException {
        return RpcServer.start(port, List.of(new RootCoordGrpcService(rootCoord)));
    }

    @AfterEach
    void stop() {
        client.close();
        channels.close();
        server.close();
        rootCoord.stop();
        kv.close();
    }

    @Test
    void everyCallAnswersAsTheRootCoordItself() {
        long ts = client.allocTimestamp();
        assertTrue(rootCoord.allocTimestamp() > ts);
        long firstId = client.allocIds(5);
        assertTrue(rootCoord.allocIds(1) >= firstId + 5, "the five ids are reserved");
        long firstTs = client.allocTimestamps(100);
        assertTrue(firstTs > ts);
        assertTrue(rootCoord.allocTimestamp() >= firstTs + 100, "the hundred timestamps are reserved");

        client.createDatabase("db1", List.of(kv("k", "v")));
        assertEquals(rootCoord.listDatabases(), client.listDatabases());
        assertEquals(rootCoord.describeDatabase("db1"), client.describeDatabase("db1"));
        client.alterDatabase("db1", List.of(kv("k2", "v2")), List.of("k"));
        assertEquals(List.of(kv("k2", "v2")), rootCoord.describeDatabase("db1").getPropertiesList());

        CollectionInfo c = client.createCollection("db1", schema("c1"), 2, ConsistencyLevel.Strong, List.of(kv("p", "1")), 0);
        assertEquals(rootCoord.describeCollection("db1", "c1"), c);
        assertEquals(2, c.getVchannelsCount());
        assertEquals(Optional.of(c), client.findCollection("db1", "c1"));
        assertEquals(Optional.empty(), client.findCollection("db1", "nope"));
        assertEquals(c, client.describeCollection("db1", "c1"));
        assertEquals(Optional.of(c), client.collectionById(c.getId()));
        assertEquals(Optional.empty(), client.collectionById(-1));
        assertEquals(List.of(c), client.listCollections("db1"));

        client.createPartition("db1", "c1", "p1");
        assertEquals(List.of("_default", "p1"), partitionNames(rootCoord.describeCollection("db1", "c1")));
        client.dropPartition("db1", "c1", "p1");
        assertEquals(List.of("_default"), partitionNames(rootCoord.describeCollection("db1", "c1")));

        client.createAlias("db1", "a1", "c1");
        client.alterAlias("db1", "a1", "c1");
        assertEquals("c1", client.describeAlias("db1", "a1"));
        assertEquals(List.of("a1"), client.listAliases("db1", ""));
        assertEquals(List.of("a1"), client.listAliases("db1", "c1"));
        assertEquals(List.of("a1"), client.aliasesOf(rootCoord.describeCollection("db1", "c1")));
        client.dropAlias("db1", "a1");
        assertEquals(List.of(), rootCoord.listAliases("db1", ""));

        client.alterCollection("db1", "c1", List.of(kv("p", "2")), List.of());
        assertEquals(List.of(kv("p", "2")), rootCoord.describeCollection("db1", "c1").getPropertiesList());
        client.renameCollection("db1", "c1", "", "c2");
        assertEquals("c2", rootCoord.collectionById(c.getId()).orElseThrow().getSchema().getName());
        client.dropCollection("db1", "c2");
        assertEquals(Optional.empty(), rootCoord.collectionById(c.getId()));
        client.dropDatabase("db1");
        assertEquals(List.of("default"), rootCoord.listDatabases().stream().map(DatabaseInfo::getName).toList());
    }

    @Test
    void failuresArriveAsTheSameMilvusException() {
        assertSameFailure(() -> rootCoord.describeCollection("default", "nope"), () -> client.describeCollection("default", "nope"));
        assertSameFailure(() -> rootCoord.dropDatabase("default"), () -> client.dropDatabase("default"));
        assertSameFailure(() -> rootCoord.describeDatabase("nope"), () -> client.describeDatabase("nope"));
        assertSameFailure(() -> rootCoord.describeAlias("default", "nope"), () -> client.describeAlias("default", "nope"));
        MilvusException e = assertThrows(MilvusException.class, () -> client.describeCollection("default", "nope"));
        assertEquals(MilvusError.COLLECTION_NOT_FOUND, e.kind());
    }

    @Test
    void listenersSeeEveryEventInOrderBeforeTheDdlCallReturns() {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        client.addCollectionListener(recorder("A", seen));
        client.addCollectionListener(recorder("B", seen));

        CollectionInfo c = client.createCollection("default", schema("c1"), 1, ConsistencyLevel.Bounded, List.of(), 0);
        assertEquals(List.of("A created c1", "B created c1"), seen, "both listeners ran, in registration order, before the call returned");
        seen.clear();
        client.createPartition("default", "c1", "p1");
        long p1 = rootCoord.describeCollection("default", "c1").getPartitionsList().stream()
                .filter(p -> p.getName().equals("p1")).findFirst().orElseThrow().getId();
        client.dropPartition("default", "c1", "p1");
        rootCoord.dropCollection("default", "c1");
        assertEquals(List.of("A partition created p1", "B partition created p1", "A partition dropped " + p1,
                "B partition dropped " + p1, "A dropped " + c.getId(), "B dropped " + c.getId()), seen);
    }

    @Test
    void anInvalidationReachesEveryListenerBeforeTheCallReturns() {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        client.addCollectionListener(recorder("A", seen));
        client.addCollectionListener(recorder("B", seen));
        client.invalidateCollectionMetaCache("default", "c1", 42);
        assertEquals(List.of("A invalidated default/c1/42", "B invalidated default/c1/42"), seen);
    }

    @Test
    void aListenerSubscribedWithoutARescanHearsThatEventsWereMissed() throws Exception {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch missed = new CountDownLatch(1);
        CollectionListener recorder = recorder("A", seen);
        client.addCollectionListener(new CollectionListener() {
            @Override
            public void onCollectionCreated(CollectionInfo collection) {
                recorder.onCollectionCreated(collection);
            }

            @Override
            public void onCollectionDropped(CollectionInfo collection) {
            }

            @Override
            public void onPartitionDropped(CollectionInfo collection, long partitionId) {
            }

            @Override
            public void onCollectionEventsMissed() {
                missed.countDown();
            }
        });
        int port = server.port();
        server.close();
        rootCoord.createCollection("default", schema("missed"), 1, ConsistencyLevel.Bounded, List.of(), 0);
        server = serve(port);
        assertTrue(missed.await(60, TimeUnit.SECONDS), "the listener hears that it may have missed events");
        client.createCollection("default", schema("c2"), 1, ConsistencyLevel.Bounded, List.of(), 0);
        assertEquals(List.of("A created c2"), seen);
    }

    @Test
    void aListenerFailureFailsTheDdlCallAsAnInProcessListenerWould() {
        client.addCollectionListener(new CollectionListener() {
            @Override
            public void onCollectionCreated(CollectionInfo collection) {
                throw new MilvusException(MilvusError.COLLECTION_NUM_LIMIT_EXCEEDED, "no room for " + collection.getSchema().getName());
            }

            @Override
            public void onCollectionDropped(CollectionInfo collection) {
            }

            @Override
            public void onPartitionDropped(CollectionInfo collection, long partitionId) {
            }
        });
        MilvusException e = assertThrows(MilvusException.class,
                () -> rootCoord.createCollection("default", schema("c1"), 1, ConsistencyLevel.Bounded, List.of(), 0));
        assertEquals(MilvusError.COLLECTION_NUM_LIMIT_EXCEEDED, e.kind());
        assertEquals("no room for c1", e.getMessage());
    }

    @Test
    void aBrokenStreamIsReopenedWhenTheRootCoordIsBackAndTheListenerRescans() throws Exception {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch rescanned = new CountDownLatch(1);
        client.addCollectionListener(recorder("A", seen), rescanned::countDown);
        int port = server.port();
        server.close();
        rootCoord.createCollection("default", schema("missed"), 1, ConsistencyLevel.Bounded, List.of(), 0);
        server = serve(port);
        assertTrue(rescanned.await(60, TimeUnit.SECONDS), "the stream is re-opened and the re-scan runs");
        client.createCollection("default", schema("c2"), 1, ConsistencyLevel.Bounded, List.of(), 0);
        assertEquals(List.of("A created c2"), seen, "the event raised while the stream was down is not replayed");
    }

    @Test
    void anUnreachableRootCoordIsServiceUnavailable() {
        String address = "localhost:" + server.port();
        server.close();
        MilvusException call = assertThrows(MilvusException.class, client::allocTimestamp);
        assertEquals(MilvusError.SERVICE_UNAVAILABLE, call.kind());
        assertTrue(call.getMessage().startsWith("rootcoord at localhost:"), call.getMessage());
        try (RootCoordGrpcClient impatient = new RootCoordGrpcClient(channels.channel(address), Duration.ofMillis(300))) {
            MilvusException subscribe = assertThrows(MilvusException.class, () -> impatient.addCollectionListener(recorder("A", new ArrayList<>())));
            assertEquals(MilvusError.SERVICE_UNAVAILABLE, subscribe.kind());
        }
    }

    private static CollectionListener recorder(String name, List<String> seen) {
        return new CollectionListener() {
            @Override
            public void onCollectionCreated(CollectionInfo collection) {
                seen.add(name + " created " + collection.getSchema().getName());
            }

            @Override
            public void onCollectionDropped(CollectionInfo collection) {
                seen.add(name + " dropped " + collection.getId());
            }

            @Override
            public void onPartitionDropped(CollectionInfo collection, long partitionId) {
                seen.add(name + " partition dropped " + partitionId);
            }

            @Override
            public void onPartitionCreated(CollectionInfo collection, PartitionInfo partition) {
                seen.add(name + " partition created " + partition.getName());
            }

            @Override
            public void onCollectionMetaInvalidated(String db, String collectionName, long collectionId) {
                seen.add(name + " invalidated " + db + "/" + collectionName + "/" + collectionId);
            }
        };
    }

    private static void assertSameFailure(Executable inProcess, Executable remote) {
        MilvusException local = assertThrows(MilvusException.class, inProcess);
        MilvusException wire = assertThrows(MilvusException.class, remote);
        assertEquals(local.kind(), wire.kind());
        assertEquals(local.getMessage(), wire.getMessage());
    }

    private static List<String> partitionNames(CollectionInfo c) {
        return c.getPartitionsList().stream().map(PartitionInfo::getName).toList();
    }

    private static KeyValuePair kv(String k, String v) {
        return KeyValuePair.newBuilder().setKey(k).setValue(v).build();
    }

    private static CollectionSchema schema(String name) {
        return CollectionSchema.newBuilder().setName(name)
                .addFields(FieldSchema.newBuilder().setName("id").setDataType(DataType.Int64).setIsPrimaryKey(true))
                .addFields(FieldSchema.newBuilder().setName("v").setDataType(DataType.FloatVector)
                        .addTypeParams(KeyValuePair.newBuilder().setKey("dim").setValue("4")))
                .build();
    }
}
