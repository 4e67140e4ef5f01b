package io.elanus.server;

import io.elanus.server.Await;
import io.elanus.common.Config;
import io.elanus.proto.WalMessage;
import io.elanus.proto.WalMsgType;
import io.elanus.storage.wal.WalReader;
import io.elanus.storage.wal.WalRecord;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.milvus.grpc.CheckHealthRequest;
import io.milvus.grpc.CheckHealthResponse;
import io.milvus.grpc.CollectionSchema;
import io.milvus.grpc.ConsistencyLevel;
import io.milvus.grpc.CreateIndexRequest;
import io.milvus.grpc.CreateCollectionRequest;
import io.milvus.grpc.DataType;
import io.milvus.grpc.DescribeCollectionRequest;
import io.milvus.grpc.DescribeCollectionResponse;
import io.milvus.grpc.DropCollectionRequest;
import io.milvus.grpc.FieldData;
import io.milvus.grpc.FieldSchema;
import io.milvus.grpc.FloatArray;
import io.milvus.grpc.FlushRequest;
import io.milvus.grpc.FlushResponse;
import io.milvus.grpc.GetFlushStateRequest;
import io.milvus.grpc.GetFlushStateResponse;
import io.milvus.grpc.GetLoadingProgressRequest;
import io.milvus.grpc.InsertRequest;
import io.milvus.grpc.KeyValuePair;
import io.milvus.grpc.LoadCollectionRequest;
import io.milvus.grpc.LongArray;
import io.milvus.grpc.MilvusServiceGrpc;
import io.milvus.grpc.MutationResult;
import io.milvus.grpc.QueryRequest;
import io.milvus.grpc.QueryResults;
import io.milvus.grpc.ScalarField;
import io.milvus.grpc.Status;
import io.milvus.grpc.StringArray;
import io.milvus.grpc.VectorField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Defence in depth behind the proxy's checks: a WAL message the data node cannot apply (appended
 * here straight to the WAL, as no client can send one any more) must not leave its channel looping
 * silently. Flush and GetFlushState of its collection fail with Milvus's "channel not available"
 * naming the channel and the cause, and so do Strong reads (the query node cannot apply it either),
 * while Eventually reads still answer the rows already held. CheckHealth turns unhealthy naming both
 * roles' stuck channel, another collection still flushes and is still read, and once the channel is
 * released (the collection dropped) the faults are gone.
 */
class UnappliableMessageTest {
    private static final int CHANNEL_NOT_AVAILABLE = 503;
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dataDir;

    @Test
    void aPoisonMessageFailsFlushesAndStrongReadsOfItsChannelAndHealthButNotOtherCollections() throws Exception {
        Config config = Config.load(null, Map.of(), Map.of("proxy.port", "0", "metrics.port", "0"));
        try (Standalone server = new Standalone(config, dataDir)) {
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
            try {
                MilvusServiceGrpc.MilvusServiceBlockingStub milvus = MilvusServiceGrpc.newBlockingStub(channel);
                create(milvus, "poisoned");
                create(milvus, "healthy");
                insert(milvus, "poisoned");
                insert(milvus, "healthy");
                load(milvus, "poisoned");
                load(milvus, "healthy");
                // A Strong read guarantees the query node applied the good rows before the poison comes.
                assertEquals(2, count(milvus, "poisoned", ConsistencyLevel.Strong));

                DescribeCollectionResponse poisoned = milvus.describeCollection(
                        DescribeCollectionRequest.newBuilder().setCollectionName("poisoned").build());
                String vchannel = poisoned.getVirtualChannelNames(0);
                appendUnappliableCopyOfAnInsert(server, poisoned.getPhysicalChannelNames(0), vchannel);

                await(() -> !health(milvus).getIsHealthy(), "CheckHealth turns unhealthy");
                CheckHealthResponse unhealthy = health(milvus);
                assertTrue(unhealthy.getReasonsList().stream().anyMatch(r -> r.contains(vchannel) && r.contains("values for")),
                        "the health reason names the channel and the cause: " + unhealthy.getReasonsList());

                await(() -> health(milvus).getReasonsList().stream()
                        .anyMatch(r -> r.contains("query node cannot follow " + vchannel) && r.contains("values for")),
                        "CheckHealth lists the query node's stuck channel with the cause");

                QueryResults strong = query(milvus, "poisoned", ConsistencyLevel.Strong);
                assertChannelNotAvailable(strong.getStatus(), vchannel);
                assertEquals(2, count(milvus, "poisoned", ConsistencyLevel.Eventually),
                        "the rows the query node already holds are still answered");
                assertEquals(2, count(milvus, "healthy", ConsistencyLevel.Strong), "the other collection is still read");

                Status flushPoisoned = milvus.flush(FlushRequest.newBuilder().addCollectionNames("poisoned").build()).getStatus();
                assertChannelNotAvailable(flushPoisoned, vchannel);

                FlushResponse flushHealthy = milvus.flush(FlushRequest.newBuilder().addCollectionNames("healthy").build());
                assertEquals(0, flushHealthy.getStatus().getCode(), flushHealthy.getStatus().getReason());
                long flushTs = flushHealthy.getCollFlushTsOrThrow("healthy");
                await(() -> flushState(milvus, "healthy", flushHealthy.getCollSegIDsOrThrow("healthy").getDataList(), flushTs)
                        .getFlushed(), "the other collection flushes");

                // A client polling the state of a flush of the stuck collection gets the error, not "not yet" forever.
                GetFlushStateResponse state = flushState(milvus, "poisoned", List.of(), flushTs);
                assertFalse(state.getFlushed());
                assertChannelNotAvailable(state.getStatus(), vchannel);

                assertEquals(0, milvus.dropCollection(DropCollectionRequest.newBuilder().setCollectionName("poisoned").build())
                        .getCode());
                await(() -> health(milvus).getIsHealthy(), "health recovers once the stuck channel is released");
            } finally {
                channel.shutdownNow();
            }
        }
    }

    /** Loads and waits until loaded, as the SDKs do: loading is asynchronous, as in Milvus. */
    private static void load(MilvusServiceGrpc.MilvusServiceBlockingStub milvus, String name) throws InterruptedException {
        Status index = milvus.createIndex(CreateIndexRequest.newBuilder().setCollectionName(name).setFieldName("vector")
                .addExtraParams(KeyValuePair.newBuilder().setKey("index_type").setValue("FLAT"))
                .addExtraParams(KeyValuePair.newBuilder().setKey("metric_type").setValue("L2")).build());
        assertEquals(0, index.getCode(), index.getReason());
        Status load = milvus.loadCollection(LoadCollectionRequest.newBuilder().setCollectionName(name).build());
        assertEquals(0, load.getCode(), load.getReason());
        await(() -> milvus.getLoadingProgress(GetLoadingProgressRequest.newBuilder().setCollectionName(name).build())
                .getProgress() == 100, name + " loaded");
    }

    private static QueryResults query(MilvusServiceGrpc.MilvusServiceBlockingStub milvus, String name, ConsistencyLevel level) {
        return milvus.query(QueryRequest.newBuilder().setCollectionName(name).setExpr("").addOutputFields("count(*)")
                .setConsistencyLevel(level).setUseDefaultConsistency(false).build());
    }

    private static long count(MilvusServiceGrpc.MilvusServiceBlockingStub milvus, String name, ConsistencyLevel level) {
        QueryResults r = query(milvus, name, level);
        assertEquals(0, r.getStatus().getCode(), r.getStatus().getReason());
        return r.getFieldsData(0).getScalars().getLongData().getData(0);
    }

    private static void assertChannelNotAvailable(Status status, String vchannel) {
        assertEquals(CHANNEL_NOT_AVAILABLE, status.getCode(), status.getReason());
        assertTrue(status.getReason().contains("channel not available[channel=" + vchannel + "]"), status.getReason());
        assertTrue(status.getReason().contains("cannot apply the WAL message"), status.getReason());
    }

    /** A copy of the channel's first insert that claims one row more than its columns hold. */
    private static void appendUnappliableCopyOfAnInsert(Standalone server, String pchannel, String vchannel) throws Exception {
        try (WalReader reader = server.wal().openReader(pchannel, 0)) {
            while (true) {
                WalRecord rec = reader.poll(Duration.ofSeconds(10));
                if (rec == null) {
                    fail("no insert of " + vchannel + " in " + pchannel);
                }
                WalMessage msg = WalMessage.parseFrom(rec.payload());
                if (msg.getType() == WalMsgType.INSERT && msg.getVchannel().equals(vchannel)) {
                    WalMessage bad = msg.toBuilder().setInsert(msg.getInsert().toBuilder().setNumRows(msg.getInsert().getNumRows() + 1))
                            .build();
                    server.wal().append(pchannel, bad.toByteArray());
                    return;
                }
            }
        }
    }

    private static void create(MilvusServiceGrpc.MilvusServiceBlockingStub milvus, String name) {
        CollectionSchema schema = CollectionSchema.newBuilder().setName(name)
                .addFields(FieldSchema.newBuilder().setName("id").setDataType(DataType.Int64).setIsPrimaryKey(true))
                .addFields(FieldSchema.newBuilder().setName("text").setDataType(DataType.VarChar)
                        .addTypeParams(KeyValuePair.newBuilder().setKey("max_length").setValue("64")))
                .addFields(FieldSchema.newBuilder().setName("vector").setDataType(DataType.FloatVector)
                        .addTypeParams(KeyValuePair.newBuilder().setKey("dim").setValue("2")))
                .build();
        Status s = milvus.createCollection(CreateCollectionRequest.newBuilder().setCollectionName(name)
                .setSchema(schema.toByteString()).setShardsNum(1).build());
        assertEquals(0, s.getCode(), s.getReason());
    }

    private static void insert(MilvusServiceGrpc.MilvusServiceBlockingStub milvus, String name) {
        MutationResult r = milvus.insert(InsertRequest.newBuilder().setCollectionName(name).setNumRows(2)
                .addFieldsData(FieldData.newBuilder().setFieldName("id").setType(DataType.Int64)
                        .setScalars(ScalarField.newBuilder().setLongData(LongArray.newBuilder().addData(1).addData(2))))
                .addFieldsData(FieldData.newBuilder().setFieldName("text").setType(DataType.VarChar)
                        .setScalars(ScalarField.newBuilder().setStringData(StringArray.newBuilder().addData("a").addData("b"))))
                .addFieldsData(FieldData.newBuilder().setFieldName("vector").setType(DataType.FloatVector)
                        .setVectors(VectorField.newBuilder().setDim(2).setFloatVector(FloatArray.newBuilder()
                                .addData(1).addData(2).addData(3).addData(4))))
                .build());
        assertEquals(0, r.getStatus().getCode(), r.getStatus().getReason());
    }

    private static CheckHealthResponse health(MilvusServiceGrpc.MilvusServiceBlockingStub milvus) {
        return milvus.checkHealth(CheckHealthRequest.getDefaultInstance());
    }

    private static GetFlushStateResponse flushState(MilvusServiceGrpc.MilvusServiceBlockingStub milvus, String collection,
                                                    List<Long> segmentIds, long flushTs) {
        return milvus.getFlushState(GetFlushStateRequest.newBuilder().setCollectionName(collection)
                .addAllSegmentIDs(segmentIds).setFlushTs(flushTs).build());
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Await.until(condition, WAIT, what);
    }
}
