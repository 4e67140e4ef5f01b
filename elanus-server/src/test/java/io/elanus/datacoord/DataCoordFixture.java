package io.elanus.datacoord;

import io.elanus.api.DataNodeClient;
import io.elanus.api.RootCoordClient;
import io.elanus.common.Config;
import io.elanus.proto.CollectionInfo;
import io.elanus.rootcoord.RootCoord;
import io.elanus.storage.kv.EmbeddedMetaKv;
import io.elanus.storage.object.LocalObjectStore;
import io.elanus.storage.wal.EmbeddedWal;
import io.milvus.grpc.CollectionSchema;
import io.milvus.grpc.ConsistencyLevel;
import io.milvus.grpc.DataType;
import io.milvus.grpc.FieldSchema;
import io.milvus.grpc.KeyValuePair;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A datacoord on the embedded backends, with a real rootcoord behind a client that counts every
 * call made to it (each would be an RPC in a cluster), and one datanode that records the flush
 * requests it gets. Opened again on the same directory, it is datacoord and rootcoord restarted.
 */
final class DataCoordFixture implements AutoCloseable {
    static final long DATANODE_ID = 10;
    static final int DIM = 8;

    final EmbeddedMetaKv kv;
    final EmbeddedWal wal;
    final LocalObjectStore objects;
    final RootCoord rootCoordImpl;
    /** Method name -> calls, of the client datacoord was given. */
    final Map<String, AtomicInteger> rootCoordCalls = new ConcurrentHashMap<>();
    final RootCoordClient rootCoord;
    final DataCoord dataCoord;
    /** "vchannel [segments] flushTs", in the order the datanode got them. */
    final List<String> flushRequests = new CopyOnWriteArrayList<>();

    DataCoordFixture(Path dir) {
        this(dir, Config.defaults());
    }

    DataCoordFixture(Path dir, Config config) {
        this(dir, config, Long.MAX_VALUE);
    }

    DataCoordFixture(Path dir, long segmentSizeCap) {
        this(dir, Config.defaults(), segmentSizeCap);
    }

    DataCoordFixture(Path dir, Config config, long segmentSizeCap) {
        kv = EmbeddedMetaKv.open(dir.resolve("meta"));
        wal = EmbeddedWal.open(dir.resolve("wal"));
        objects = new LocalObjectStore(dir.resolve("objects"));
        rootCoordImpl = new RootCoord(1, kv, Config.defaults(), null);
        rootCoordImpl.init();
        rootCoordImpl.start();
        rootCoord = (RootCoordClient) Proxy.newProxyInstance(RootCoordClient.class.getClassLoader(),
                new Class<?>[] {RootCoordClient.class}, (proxy, method, args) -> {
                    rootCoordCalls.computeIfAbsent(method.getName(), k -> new AtomicInteger()).incrementAndGet();
                    try {
                        return method.invoke(rootCoordImpl, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        dataCoord = new DataCoord(2, kv, wal, objects, config, rootCoord, p -> Long.MAX_VALUE, segmentSizeCap);
        rootCoordImpl.addCollectionListener(dataCoord);
        dataCoord.registerDataNode(new DataNodeClient() {
            @Override
            public long nodeId() {
                return DATANODE_ID;
            }

            @Override
            public void flushSegments(String vchannel, List<Long> segmentIds, long flushTs) {
                flushRequests.add(vchannel + " " + segmentIds + " " + flushTs);
            }
        });
        dataCoord.init();
        dataCoord.start();
    }

    /** The calls made to rootcoord so far, by method name; clears the count. */
    Map<String, Integer> takeRootCoordCalls() {
        Map<String, Integer> out = new TreeMap<>();
        rootCoordCalls.forEach((name, n) -> out.put(name, n.getAndSet(0)));
        out.values().removeIf(n -> n == 0);
        return out;
    }

    /** A collection with an int64 key and an 8-d float vector, created through rootcoord (datacoord hears of it). */
    CollectionInfo createCollection(String name, int shards) {
        CollectionSchema schema = CollectionSchema.newBuilder().setName(name)
                .addFields(FieldSchema.newBuilder().setName("id").setDataType(DataType.Int64).setIsPrimaryKey(true))
                .addFields(FieldSchema.newBuilder().setName("vec").setDataType(DataType.FloatVector)
                        .addTypeParams(KeyValuePair.newBuilder().setKey("dim").setValue(Integer.toString(DIM))))
                .build();
        return rootCoordImpl.createCollection(RootCoord.DEFAULT_DB, schema, shards, ConsistencyLevel.Strong, List.of(), 0);
    }

    @Override
    public void close() {
        dataCoord.stop();
        rootCoordImpl.stop();
        objects.close();
        wal.close();
        kv.close();
    }
}
