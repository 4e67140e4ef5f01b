package io.elanus.server;

import com.google.protobuf.ByteString;
import io.elanus.common.Config;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.milvus.grpc.AlterAliasRequest;
import io.milvus.grpc.CollectionSchema;
import io.milvus.grpc.ConsistencyLevel;
import io.milvus.grpc.CreateAliasRequest;
import io.milvus.grpc.CreateCollectionRequest;
import io.milvus.grpc.CreateIndexRequest;
import io.milvus.grpc.CreatePartitionRequest;
import io.milvus.grpc.DataType;
import io.milvus.grpc.DropCollectionRequest;
import io.milvus.grpc.FieldData;
import io.milvus.grpc.FieldSchema;
import io.milvus.grpc.FloatArray;
import io.milvus.grpc.GetLoadingProgressRequest;
import io.milvus.grpc.InsertRequest;
import io.milvus.grpc.KeyValuePair;
import io.milvus.grpc.LoadCollectionRequest;
import io.milvus.grpc.LongArray;
import io.milvus.grpc.MilvusServiceGrpc;
import io.milvus.grpc.MutationResult;
import io.milvus.grpc.PlaceholderGroup;
import io.milvus.grpc.PlaceholderType;
import io.milvus.grpc.PlaceholderValue;
import io.milvus.grpc.ReleaseCollectionRequest;
import io.milvus.grpc.RenameCollectionRequest;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A client sees its own DDL on its very next request although the proxy caches collections, indexes,
 * loaded partitions and shard leaders: an alias switched to a collection of another dimension, a
 * partition created in a loaded collection, a release, a drop, a re-create with another schema, a
 * rename. Run on standalone (events in-process) and on a loopback cluster (events over gRPC).
 */
class OwnDdlFreshnessTest {
    private static final long WAIT_MS = 120_000;

    @TempDir
    Path dir;

    @Test
    void standaloneServesEveryDdlAtOnce() throws Exception {
        try (Standalone s = new Standalone(config(), dir)) {
            scenario(s.port());
        }
    }

    @Test
    void aLoopbackClusterServesEveryDdlAtOnce() throws Exception {
        try (EmbeddedRoles c = LoopbackCluster.start(config(), dir)) {
            scenario(c.port());
        }
    }

    private static Config config() {
        return Config.load(null, Map.of(), Map.of("proxy.port", "0", "metrics.port", "0"));
    }

    private static void scenario(int port) throws InterruptedException {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            MilvusServiceGrpc.MilvusServiceBlockingStub milvus = MilvusServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(WAIT_MS, TimeUnit.MILLISECONDS);
            loadedCollection(milvus, "c1", 4, 0);
            assertEquals(0, search(milvus, "c1", 4, List.of()).getStatus().getCode());
            ok(milvus.createAlias(CreateAliasRequest.newBuilder().setAlias("live").setCollectionName("c1").build()));
            assertEquals(0, search(milvus, "live", 4, List.of()).getStatus().getCode());

            // The alias moves to a collection of another dimension: a stale alias would refuse the 8-d query.
            loadedCollection(milvus, "c2", 8, 1_000);
            ok(milvus.alterAlias(AlterAliasRequest.newBuilder().setAlias("live").setCollectionName("c2").build()));
            SearchResults viaAlias = search(milvus, "live", 8, List.of());
            assertEquals(0, viaAlias.getStatus().getCode(), viaAlias.getStatus().getReason());
            assertEquals(1_000, viaAlias.getResults().getIds().getIntId().getData(0), "the alias now finds c2's rows");

            // A partition created in a loaded collection is loaded with it, and its rows are found.
            ok(milvus.createPartition(CreatePartitionRequest.newBuilder().setCollectionName("c1").setPartitionName("p1").build()));
            ok(insert(milvus, "c1", "p1", 4, 500).getStatus());
            SearchResults inP1 = search(milvus, "c1", 4, List.of("p1"));
            assertEquals(0, inP1.getStatus().getCode(), inP1.getStatus().getReason());
            assertEquals(500, inP1.getResults().getIds().getIntId().getData(0));

            ok(milvus.releaseCollection(ReleaseCollectionRequest.newBuilder().setCollectionName("c1").build()));
            assertEquals(101, search(milvus, "c1", 4, List.of()).getStatus().getCode(), "collection not loaded");

            ok(milvus.dropCollection(DropCollectionRequest.newBuilder().setCollectionName("c1").build()));
            assertEquals(100, search(milvus, "c1", 4, List.of()).getStatus().getCode(), "collection not found");
            assertEquals(100, insert(milvus, "c1", "", 4, 0).getStatus().getCode(), "collection not found");

            // Re-created with another schema: a stale one would refuse 8-d rows.
            loadedCollection(milvus, "c1", 8, 2_000);
            SearchResults again = search(milvus, "c1", 8, List.of());
            assertEquals(0, again.getStatus().getCode(), again.getStatus().getReason());
            assertEquals(2_000, again.getResults().getIds().getIntId().getData(0));

            ok(milvus.renameCollection(RenameCollectionRequest.newBuilder().setOldName("c2").setNewName("c3").build()));
            assertEquals(100, search(milvus, "c2", 8, List.of()).getStatus().getCode(), "the old name is gone");
            assertEquals(0, search(milvus, "c3", 8, List.of()).getStatus().getCode());
            assertEquals(0, search(milvus, "live", 8, List.of()).getStatus().getCode(), "the alias follows the rename");
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** A collection of {@code dim}-d vectors with rows {@code firstId..firstId+9} (row i is the vector (i, i, ...)), loaded. */
    private static void loadedCollection(MilvusServiceGrpc.MilvusServiceBlockingStub milvus, String name, int dim, long firstId)
            throws InterruptedException {
        CollectionSchema schema = CollectionSchema.newBuilder().setName(name)
                .addFields(FieldSchema.newBuilder().setName("id").setDataType(DataType.Int64).setIsPrimaryKey(true))
                .addFields(FieldSchema.newBuilder().setName("v").setDataType(DataType.FloatVector)
                        .addTypeParams(kv("dim", Integer.toString(dim))))
                .build();
        ok(milvus.createCollection(CreateCollectionRequest.newBuilder().setCollectionName(name)
                .setSchema(schema.toByteString()).setShardsNum(2).build()));
        ok(milvus.createIndex(CreateIndexRequest.newBuilder().setCollectionName(name).setFieldName("v")
                .addExtraParams(kv("index_type", "FLAT")).addExtraParams(kv("metric_type", "L2")).build()));
        ok(insert(milvus, name, "", dim, firstId).getStatus());
        ok(milvus.loadCollection(LoadCollectionRequest.newBuilder().setCollectionName(name).build()));
        Await.until(() -> milvus.getLoadingProgress(GetLoadingProgressRequest.newBuilder().setCollectionName(name)
                .build()).getProgress() == 100, Duration.ofSeconds(60), name + " loaded");
    }

    private static MutationResult insert(MilvusServiceGrpc.MilvusServiceBlockingStub milvus, String collection, String partition,
                                         int dim, long firstId) {
        LongArray.Builder ids = LongArray.newBuilder();
        FloatArray.Builder vectors = FloatArray.newBuilder();
        for (int i = 0; i < 10; i++) {
            ids.addData(firstId + i);
            for (int d = 0; d < dim; d++) {
                vectors.addData(firstId + i);
            }
        }
        return milvus.insert(InsertRequest.newBuilder().setCollectionName(collection).setPartitionName(partition).setNumRows(10)
                .addFieldsData(FieldData.newBuilder().setFieldName("id").setType(DataType.Int64)
                        .setScalars(ScalarField.newBuilder().setLongData(ids)))
                .addFieldsData(FieldData.newBuilder().setFieldName("v").setType(DataType.FloatVector)
                        .setVectors(VectorField.newBuilder().setDim(dim).setFloatVector(vectors)))
                .build());
    }

    /** A Strong search for the row whose vector is (firstId, ...) nearest to the given collection's first row. */
    private static SearchResults search(MilvusServiceGrpc.MilvusServiceBlockingStub milvus, String collection, int dim,
                                        List<String> partitions) {
        long target = switch (collection) {
            case "c2", "c3", "live" -> 1_000;
            default -> partitions.isEmpty() ? (dim == 8 ? 2_000 : 0) : 500;
        };
        ByteBuffer query = ByteBuffer.allocate(dim * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int d = 0; d < dim; d++) {
            query.putFloat(target);
        }
        PlaceholderGroup group = PlaceholderGroup.newBuilder().addPlaceholders(PlaceholderValue.newBuilder().setTag("$0")
                .setType(PlaceholderType.FloatVector).addValues(ByteString.copyFrom(query.array()))).build();
        return milvus.search(SearchRequest.newBuilder().setCollectionName(collection).addAllPartitionNames(partitions)
                .setPlaceholderGroup(group.toByteString()).setConsistencyLevel(ConsistencyLevel.Strong)
                .addSearchParams(kv("anns_field", "v")).addSearchParams(kv("topk", "3")).build());
    }

    private static KeyValuePair kv(String k, String v) {
        return KeyValuePair.newBuilder().setKey(k).setValue(v).build();
    }

    private static void ok(Status s) {
        assertEquals(0, s.getCode(), s.getReason());
    }
}
