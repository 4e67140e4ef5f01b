package io.elanus.server;

import com.google.protobuf.ByteString;
import io.elanus.api.DataCoordClient;
import io.elanus.api.QueryCoordClient;
import io.elanus.api.RootCoordClient;
import io.elanus.common.Config;
import io.elanus.datacoord.DataCoord;
import io.elanus.api.WalReaders;
import io.elanus.querycoord.QueryCoord;
import io.elanus.session.RoleComponent;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.milvus.grpc.CollectionSchema;
import io.milvus.grpc.ConsistencyLevel;
import io.milvus.grpc.CreateCollectionRequest;
import io.milvus.grpc.CreateIndexRequest;
import io.milvus.grpc.DataType;
import io.milvus.grpc.FieldData;
import io.milvus.grpc.FieldSchema;
import io.milvus.grpc.FloatArray;
import io.milvus.grpc.GetLoadingProgressRequest;
import io.milvus.grpc.InsertRequest;
import io.milvus.grpc.KeyValuePair;
import io.milvus.grpc.LoadCollectionRequest;
import io.milvus.grpc.LongArray;
import io.milvus.grpc.MilvusServiceGrpc;
import io.milvus.grpc.PlaceholderGroup;
import io.milvus.grpc.PlaceholderType;
import io.milvus.grpc.PlaceholderValue;
import io.milvus.grpc.QueryRequest;
import io.milvus.grpc.ScalarField;
import io.milvus.grpc.SearchRequest;
import io.milvus.grpc.SearchResults;
import io.milvus.grpc.Status;
import io.milvus.grpc.VectorField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How many calls the proxy makes to the coordinators per search and per insert (each one an RPC in a
 * cluster), counted on the request path only (the periodic time tick is not a request's cost). With
 * the meta cache, a search of a loaded collection asks the coordinators only for what a consistency
 * level needs (a timestamp), and an insert only for its timestamp and its segment.
 */
class CoordinatorCallsTest {
    private static final int DIM = 8;
    private static final String COLLECTION = "counted";

    @TempDir
    Path dir;

    @Test
    void aSearchAndAnInsertOfAKnownCollectionAskTheCoordinatorsOnlyForTimestampsAndSegments() throws Exception {
        Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        Config config = Config.load(null, Map.of(), Map.of("proxy.port", "0", "metrics.port", "0"));
        try (EmbeddedRoles server = new EmbeddedRoles(config, dir, kv -> new CountingTransport(new InProcessTransport(), calls))) {
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
            try {
                MilvusServiceGrpc.MilvusServiceBlockingStub milvus = MilvusServiceGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(120, TimeUnit.SECONDS);
                prepare(milvus);
                Map<String, Map<String, Integer>> measured = new LinkedHashMap<>();
                measured.put("first insert", count(calls, () -> insert(milvus, 1_000)));
                measured.put("insert", count(calls, () -> insert(milvus, 2_000)));
                measured.put("first search (Bounded)", count(calls, () -> search(milvus, ConsistencyLevel.Bounded)));
                measured.put("search (Bounded)", count(calls, () -> search(milvus, ConsistencyLevel.Bounded)));
                measured.put("search (Eventually)", count(calls, () -> search(milvus, ConsistencyLevel.Eventually)));
                measured.put("search (Strong)", count(calls, () -> search(milvus, ConsistencyLevel.Strong)));
                measured.put("query (Bounded)", count(calls, () -> query(milvus)));
                measured.forEach((what, byMethod) -> System.out.println("coordinator calls of a " + what + ": "
                        + byMethod.values().stream().mapToInt(Integer::intValue).sum() + " " + byMethod));

                // An insert: its timestamp and a segment per shard it writes to (2 shards).
                assertEquals(Map.of("allocTimestamp", 1, "assignSegment", 2), measured.get("insert"));
                assertEquals(Map.of("allocTimestamp", 1), measured.get("search (Bounded)"));
                assertEquals(Map.of(), measured.get("search (Eventually)"));
                assertEquals(Map.of("allocTimestamp", 1), measured.get("query (Bounded)"));
                // Strong: the guarantee timestamp, and the tick sent for it takes one more (standalone's tick lists the
                // channels in use, in-process; in a cluster the tick is a report to rootcoord instead).
                assertEquals(Map.of("allocTimestamp", 2, "listDatabases", 1, "listCollections", 1), measured.get("search (Strong)"));
            } finally {
                channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }
        }
    }

    private static Map<String, Integer> count(Map<String, AtomicInteger> calls, Runnable request) {
        calls.clear();
        request.run();
        Map<String, Integer> out = new TreeMap<>();
        calls.forEach((method, n) -> out.put(method, n.get()));
        return out;
    }

    private static void prepare(MilvusServiceGrpc.MilvusServiceBlockingStub milvus) throws InterruptedException {
        CollectionSchema schema = CollectionSchema.newBuilder().setName(COLLECTION)
                .addFields(FieldSchema.newBuilder().setName("id").setDataType(DataType.Int64).setIsPrimaryKey(true))
                .addFields(FieldSchema.newBuilder().setName("v").setDataType(DataType.FloatVector)
                        .addTypeParams(kv("dim", Integer.toString(DIM))))
                .build();
        ok(milvus.createCollection(CreateCollectionRequest.newBuilder().setCollectionName(COLLECTION)
                .setSchema(schema.toByteString()).setShardsNum(2).build()));
        ok(milvus.createIndex(CreateIndexRequest.newBuilder().setCollectionName(COLLECTION).setFieldName("v")
                .addExtraParams(kv("index_type", "FLAT")).addExtraParams(kv("metric_type", "L2")).build()));
        insert(milvus, 0);
        ok(milvus.loadCollection(LoadCollectionRequest.newBuilder().setCollectionName(COLLECTION).build()));
        Await.until(() -> milvus.getLoadingProgress(GetLoadingProgressRequest.newBuilder().setCollectionName(COLLECTION)
                .build()).getProgress() == 100, Duration.ofSeconds(60), "collection loaded");
    }

    private static void insert(MilvusServiceGrpc.MilvusServiceBlockingStub milvus, long firstId) {
        int rows = 100;
        LongArray.Builder ids = LongArray.newBuilder();
        FloatArray.Builder vectors = FloatArray.newBuilder();
        for (int i = 0; i < rows; i++) {
            ids.addData(firstId + i);
            for (int d = 0; d < DIM; d++) {
                vectors.addData((float) Math.sin(firstId + i + d));
            }
        }
        ok(milvus.insert(InsertRequest.newBuilder().setCollectionName(COLLECTION).setNumRows(rows)
                .addFieldsData(FieldData.newBuilder().setFieldName("id").setType(DataType.Int64)
                        .setScalars(ScalarField.newBuilder().setLongData(ids)))
                .addFieldsData(FieldData.newBuilder().setFieldName("v").setType(DataType.FloatVector)
                        .setVectors(VectorField.newBuilder().setDim(DIM).setFloatVector(vectors)))
                .build()).getStatus());
    }

    private static void search(MilvusServiceGrpc.MilvusServiceBlockingStub milvus, ConsistencyLevel level) {
        ByteBuffer query = ByteBuffer.allocate(DIM * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int d = 0; d < DIM; d++) {
            query.putFloat((float) Math.sin(d));
        }
        PlaceholderGroup group = PlaceholderGroup.newBuilder().addPlaceholders(PlaceholderValue.newBuilder().setTag("$0")
                .setType(PlaceholderType.FloatVector).addValues(ByteString.copyFrom(query.array()))).build();
        SearchResults r = milvus.search(SearchRequest.newBuilder().setCollectionName(COLLECTION)
                .setPlaceholderGroup(group.toByteString()).setConsistencyLevel(level)
                .addSearchParams(kv("anns_field", "v")).addSearchParams(kv("topk", "5")).build());
        ok(r.getStatus());
    }

    private static void query(MilvusServiceGrpc.MilvusServiceBlockingStub milvus) {
        ok(milvus.query(QueryRequest.newBuilder().setCollectionName(COLLECTION).setExpr("id < 10")
                .setConsistencyLevel(ConsistencyLevel.Bounded).addOutputFields("id").build()).getStatus());
    }

    private static KeyValuePair kv(String k, String v) {
        return KeyValuePair.newBuilder().setKey(k).setValue(v).build();
    }

    private static void ok(Status s) {
        assertEquals(0, s.getCode(), s.getReason());
    }

    /** An in-process transport whose clients count what the proxy's request threads ask of the coordinators. */
    private record CountingTransport(InProcessTransport inner, Map<String, AtomicInteger> calls) implements Transport {
        @Override
        public RootCoordClient rootCoord() {
            return counting(RootCoordClient.class, inner.rootCoord());
        }

        @Override
        public DataCoordClient dataCoord() {
            return counting(DataCoordClient.class, inner.dataCoord());
        }

        @Override
        public QueryCoordClient queryCoord() {
            return counting(QueryCoordClient.class, inner.queryCoord());
        }

        @Override
        public WalReaders walReaders() {
            return inner.walReaders();
        }

        @Override
        public String expose(Role role, RoleComponent component) {
            return inner.expose(role, component);
        }

        @Override
        public void followDataNodes(DataCoord dataCoord) {
            inner.followDataNodes(dataCoord);
        }

        @Override
        public void followQueryNodes(QueryCoord queryCoord) {
            inner.followQueryNodes(queryCoord);
        }

        @Override
        public boolean ticksAggregatedByRootCoord() {
            return inner.ticksAggregatedByRootCoord();
        }

        @Override
        public void close() {
            inner.close();
        }

        private <T> T counting(Class<T> api, T target) {
            return api.cast(java.lang.reflect.Proxy.newProxyInstance(api.getClassLoader(), new Class<?>[]{api}, (p, method, args) -> {
                String thread = Thread.currentThread().getName();
                if (thread.startsWith("proxy-grpc") || thread.startsWith("proxy-shard")) {
                    calls.computeIfAbsent(method.getName(), m -> new AtomicInteger()).incrementAndGet();
                }
                try {
                    return method.invoke(target, args);
                } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                }
            }));
        }
    }
}
