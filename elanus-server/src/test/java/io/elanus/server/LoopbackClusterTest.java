package io.elanus.server;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.elanus.common.Config;
import io.elanus.testkit.Seed;
import io.elanus.testkit.Seeds;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.milvus.grpc.CreateCollectionRequest;
import io.milvus.grpc.CreateIndexRequest;
import io.milvus.grpc.DataType;
import io.milvus.grpc.DeleteRequest;
import io.milvus.grpc.DescribeIndexRequest;
import io.milvus.grpc.FieldData;
import io.milvus.grpc.FlushAllRequest;
import io.milvus.grpc.GetLoadingProgressRequest;
import io.milvus.grpc.HybridSearchRequest;
import io.milvus.grpc.IDs;
import io.milvus.grpc.IndexDescription;
import io.milvus.grpc.InsertRequest;
import io.milvus.grpc.KeyValuePair;
import io.milvus.grpc.LoadCollectionRequest;
import io.milvus.grpc.LongArray;
import io.milvus.grpc.MilvusServiceGrpc;
import io.milvus.grpc.MutationResult;
import io.milvus.grpc.PlaceholderGroup;
import io.milvus.grpc.PlaceholderType;
import io.milvus.grpc.PlaceholderValue;
import io.milvus.grpc.QueryRequest;
import io.milvus.grpc.QueryResults;
import io.milvus.grpc.SearchRequest;
import io.milvus.grpc.SearchResultData;
import io.milvus.grpc.SearchResults;
import io.milvus.grpc.Status;
import io.milvus.grpc.TemplateValue;
import io.milvus.grpc.UpsertRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Milvus API over a cluster whose roles talk only through gRPC gives the answers of Standalone,
 * where they call each other in-process: the same operations (create, insert, flush, index builds,
 * load, searches of every vector kind, hybrid search, queries with every field type, partial
 * upsert, deletes) return the same results, and the float search matches brute force.
 */
@ExtendWith(Seeds.class)
class LoopbackClusterTest {
    private static final String COLLECTION = "c";
    private static final int FLUSHED_ROWS = 300;
    private static final int GROWING_ROWS = 50;
    private static final int TOP_K = 10;
    private static final int LOW = 30;
    private static final long WAIT_MS = 120_000;

    @TempDir
    Path dir;

    @Test
    void aClusterOverGrpcAnswersLikeStandalone(Seed seed) throws Exception {
        Config config = Config.load(null, Map.of(), Map.of("proxy.port", "0", "metrics.port", "0", "proxy.maxVectorFieldNum", "6"));
        Map<String, Message> cluster;
        try (EmbeddedRoles c = LoopbackCluster.start(config, dir.resolve("cluster"))) {
            cluster = scenario(c.port(), seed);
        }
        Map<String, Message> standalone;
        try (Standalone s = new Standalone(config, dir.resolve("standalone"))) {
            standalone = scenario(s.port(), seed);
        }
        assertEquals(standalone.keySet(), cluster.keySet());
        for (String step : standalone.keySet()) {
            assertSameResult(standalone.get(step), cluster.get(step), step);
        }
    }

    /**
     * Equal messages, except that scores may differ in their last bits: the Vector API leaves the order
     * in which a lane reduction adds open, and it changes when the JIT compiles a kernel between the runs.
     */
    private static void assertSameResult(Message expected, Message actual, String step) {
        if (expected instanceof SearchResultData e && actual instanceof SearchResultData a) {
            assertEquals(e.getScoresCount(), a.getScoresCount(), step);
            for (int i = 0; i < e.getScoresCount(); i++) {
                assertEquals(e.getScores(i), a.getScores(i), 1e-5f * Math.max(1f, Math.abs(e.getScores(i))), step + ", score " + i);
            }
            assertEquals(e.toBuilder().clearScores().build(), a.toBuilder().clearScores().build(), step);
            return;
        }
        assertEquals(expected, actual, step);
    }

    /** Runs the operations against the proxy on {@code port}; returns each step's result, after checking what can be checked alone. */
    private static Map<String, Message> scenario(int port, Seed seed) throws InterruptedException {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            return scenario(channel, seed);
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private static Map<String, Message> scenario(ManagedChannel channel, Seed seed) throws InterruptedException {
        Map<String, Message> results = new LinkedHashMap<>();
        List<FieldData> flushed = AllTypes.rows(0, FLUSHED_ROWS, seed.derive(1));
        List<FieldData> growing = AllTypes.rows(FLUSHED_ROWS, GROWING_ROWS, seed.derive(2));

        ok(milvus(channel).createCollection(CreateCollectionRequest.newBuilder().setCollectionName(COLLECTION)
                .setSchema(AllTypes.userSchema(COLLECTION).toByteString()).setShardsNum(2).build()));
        ok(milvus(channel).insert(InsertRequest.newBuilder().setCollectionName(COLLECTION).addAllFieldsData(flushed)
                .setNumRows(FLUSHED_ROWS).build()).getStatus());
        ok(milvus(channel).flushAll(FlushAllRequest.getDefaultInstance()).getStatus());
        createIndex(channel, "fv", "FLAT", "L2", "{}");
        createIndex(channel, "hv", "HNSW", "L2", "{\"M\": 8, \"efConstruction\": 64}");
        createIndex(channel, "bv", "FLAT", "IP", "{}");
        createIndex(channel, "iv", "FLAT", "COSINE", "{}");
        createIndex(channel, "xv", "BIN_FLAT", "HAMMING", "{}");
        createIndex(channel, "sv", "SPARSE_INVERTED_INDEX", "IP", "{}");
        for (String built : List.of("hv", "sv")) {
            await("index of " + built + " built", () -> index(channel, built).getIndexedRows() == FLUSHED_ROWS);
        }
        ok(milvus(channel).insert(InsertRequest.newBuilder().setCollectionName(COLLECTION).addAllFieldsData(growing)
                .setNumRows(GROWING_ROWS).build()).getStatus());
        ok(milvus(channel).loadCollection(LoadCollectionRequest.newBuilder().setCollectionName(COLLECTION).build()));
        await("collection loaded", () -> milvus(channel).getLoadingProgress(GetLoadingProgressRequest.newBuilder()
                .setCollectionName(COLLECTION).build()).getProgress() == 100);

        int[] queryRows = {7, 123, FLUSHED_ROWS + 11};
        SearchResultData floats = search(channel, "fv", PlaceholderType.FloatVector, vectors(flushed, growing, "fv", queryRows),
                "i32 > {low}", List.of("*"));
        assertEquals(bruteForceL2(flushed, growing, queryRows), ids(floats), "the float search finds what brute force finds");
        results.put("search fv", floats);
        results.put("search bv", search(channel, "bv", PlaceholderType.BFloat16Vector, vectors(flushed, growing, "bv", queryRows),
                "", List.of("id", "bv", "$meta")));
        results.put("search iv", search(channel, "iv", PlaceholderType.Int8Vector, vectors(flushed, growing, "iv", queryRows),
                "s like \"a%\"", List.of("iv", "s", "color")));
        SearchResultData binary = search(channel, "xv", PlaceholderType.BinaryVector, vectors(flushed, growing, "xv", queryRows),
                "", List.of("xv", "al", "as"));
        for (int q = 0; q < queryRows.length; q++) {
            assertEquals(queryRows[q], binary.getIds().getIntId().getData(q * TOP_K), "the query's own row is at distance 0");
        }
        // Hamming distances tie, and tied rows come in scan order, which depends on segment placement: compare the distances.
        results.put("search xv distances", SearchResultData.newBuilder().addAllTopks(binary.getTopksList())
                .addAllScores(binary.getScoresList()).build());
        results.put("search sv", search(channel, "sv", PlaceholderType.SparseFloatVector, vectors(flushed, growing, "sv", queryRows),
                "", List.of("*")));
        SearchResultData approximate = search(channel, "hv", PlaceholderType.Float16Vector, vectors(flushed, growing, "hv", queryRows),
                "", List.of("id"));
        for (int q = 0; q < queryRows.length; q++) {
            assertEquals(queryRows[q], approximate.getIds().getIntId().getData(q * TOP_K), "HNSW finds the query's own row first");
        }
        results.put("hybrid search", milvus(channel).hybridSearch(HybridSearchRequest.newBuilder().setCollectionName(COLLECTION)
                .addRequests(searchRequest("fv", PlaceholderType.FloatVector, vectors(flushed, growing, "fv", queryRows), "", List.of()))
                .addRequests(searchRequest("sv", PlaceholderType.SparseFloatVector, vectors(flushed, growing, "sv", queryRows), "", List.of()))
                .addRankParams(kv("strategy", "rrf")).addRankParams(kv("params", "{\"k\": 60}")).addRankParams(kv("limit", "5"))
                .addOutputFields("*").build()).getResults());

        results.put("query", query(channel, "json_contains(j[\"list\"], 2) or $meta[\"color\"] == \"red\"", List.of("*")));
        results.put("count", query(channel, "", List.of("count(*)")));
        ok(milvus(channel).upsert(UpsertRequest.newBuilder().setCollectionName(COLLECTION).setPartialUpdate(true)
                .addAllFieldsData(partialRows()).setNumRows(5).build()).getStatus());
        results.put("after partial upsert", query(channel, "id in [5, 6, 7, 8, 9]", List.of("*")));
        results.put("delete by keys", delete(channel, "id in [1, 2, 3]"));
        results.put("delete by filter", delete(channel, "i32 < 10"));
        results.put("count after deletes", query(channel, "", List.of("count(*)")));
        return results;
    }

    private static MilvusServiceGrpc.MilvusServiceBlockingStub milvus(ManagedChannel channel) {
        return MilvusServiceGrpc.newBlockingStub(channel).withDeadlineAfter(WAIT_MS, TimeUnit.MILLISECONDS);
    }

    private static void createIndex(ManagedChannel channel, String field, String type, String metric, String params) {
        ok(milvus(channel).createIndex(CreateIndexRequest.newBuilder().setCollectionName(COLLECTION).setFieldName(field)
                .setIndexName(field + "_idx").addExtraParams(kv("index_type", type)).addExtraParams(kv("metric_type", metric))
                .addExtraParams(kv("params", params)).build()));
    }

    private static IndexDescription index(ManagedChannel channel, String field) {
        var r = milvus(channel).describeIndex(DescribeIndexRequest.newBuilder().setCollectionName(COLLECTION).setFieldName(field).build());
        ok(r.getStatus());
        return r.getIndexDescriptions(0);
    }

    private static SearchRequest searchRequest(String field, PlaceholderType type, List<ByteString> vectors, String filter,
                                               List<String> outputs) {
        PlaceholderGroup group = PlaceholderGroup.newBuilder().addPlaceholders(PlaceholderValue.newBuilder().setTag("$0")
                .setType(type).addAllValues(vectors)).build();
        return SearchRequest.newBuilder().setCollectionName(COLLECTION).setDsl(filter).setPlaceholderGroup(group.toByteString())
                .putExprTemplateValues("low", TemplateValue.newBuilder().setInt64Val(LOW).build())
                .addSearchParams(kv("anns_field", field)).addSearchParams(kv("topk", Integer.toString(TOP_K)))
                .addSearchParams(kv("params", "{\"ef\": 64}")).addAllOutputFields(outputs).build();
    }

    private static SearchResultData search(ManagedChannel channel, String field, PlaceholderType type, List<ByteString> vectors,
                                           String filter, List<String> outputs) {
        SearchResults r = milvus(channel).search(searchRequest(field, type, vectors, filter, outputs));
        ok(r.getStatus());
        assertEquals(vectors.size() * TOP_K, r.getResults().getScoresCount(), "every query of " + field + " gets top-k hits");
        return r.getResults();
    }

    /** Rows in key order (a limit makes the proxy sort by primary key): fields and output names. */
    private static QueryResults query(ManagedChannel channel, String filter, List<String> outputs) {
        QueryRequest.Builder req = QueryRequest.newBuilder().setCollectionName(COLLECTION).setExpr(filter).addAllOutputFields(outputs);
        if (!outputs.contains("count(*)")) {
            req.addQueryParams(kv("limit", "1000"));
        }
        QueryResults r = milvus(channel).query(req.build());
        ok(r.getStatus());
        return QueryResults.newBuilder().addAllFieldsData(r.getFieldsDataList()).addAllOutputFields(r.getOutputFieldsList()).build();
    }

    private static MutationResult delete(ManagedChannel channel, String filter) {
        MutationResult r = milvus(channel).delete(DeleteRequest.newBuilder().setCollectionName(COLLECTION).setExpr(filter).build());
        ok(r.getStatus());
        // Keys matched by a filter come shard by shard: compare them as a set.
        List<Long> keys = r.getIDs().getIntId().getDataList().stream().sorted().toList();
        return MutationResult.newBuilder().setIDs(IDs.newBuilder().setIntId(LongArray.newBuilder().addAllData(keys)))
                .setDeleteCnt(r.getDeleteCnt()).build();
    }

    /** New values of field {@code f} for rows 5..9; every other field keeps its stored value. */
    private static List<FieldData> partialRows() {
        FieldData ids = FieldData.newBuilder().setFieldName("id").setType(DataType.Int64)
                .setScalars(io.milvus.grpc.ScalarField.newBuilder().setLongData(LongArray.newBuilder()
                        .addAllData(List.of(5L, 6L, 7L, 8L, 9L)))).build();
        FieldData f = FieldData.newBuilder().setFieldName("f").setType(DataType.Float)
                .setScalars(io.milvus.grpc.ScalarField.newBuilder().setFloatData(io.milvus.grpc.FloatArray.newBuilder()
                        .addAllData(List.of(-1f, -2f, -3f, -4f, -5f)))).build();
        return List.of(ids, f);
    }

    /** The stored vectors of the given rows, in the placeholder form of their field. */
    private static List<ByteString> vectors(List<FieldData> flushed, List<FieldData> growing, String field, int[] rows) {
        List<ByteString> out = new ArrayList<>();
        for (int row : rows) {
            FieldData data = row < FLUSHED_ROWS ? field(flushed, field) : field(growing, field);
            int i = row < FLUSHED_ROWS ? row : row - FLUSHED_ROWS;
            var v = data.getVectors();
            out.add(switch (data.getType()) {
                case FloatVector -> floatBytes(v.getFloatVector().getDataList().subList(i * AllTypes.DIM, (i + 1) * AllTypes.DIM));
                case Float16Vector -> v.getFloat16Vector().substring(i * AllTypes.DIM * 2, (i + 1) * AllTypes.DIM * 2);
                case BFloat16Vector -> v.getBfloat16Vector().substring(i * AllTypes.DIM * 2, (i + 1) * AllTypes.DIM * 2);
                case Int8Vector -> v.getInt8Vector().substring(i * AllTypes.DIM, (i + 1) * AllTypes.DIM);
                case BinaryVector -> v.getBinaryVector().substring(i * AllTypes.BINARY_DIM / 8, (i + 1) * AllTypes.BINARY_DIM / 8);
                case SparseFloatVector -> v.getSparseFloatVector().getContents(i);
                default -> throw new IllegalArgumentException(data.getType().toString());
            });
        }
        return out;
    }

    /** Per query, the keys of the {@link #TOP_K} nearest rows (squared L2 on fv) among those with {@code i32 > LOW}. */
    private static List<Long> bruteForceL2(List<FieldData> flushed, List<FieldData> growing, int[] queryRows) {
        List<float[]> stored = new ArrayList<>();
        List<Boolean> matches = new ArrayList<>();
        for (List<FieldData> batch : List.of(flushed, growing)) {
            List<Float> fv = field(batch, "fv").getVectors().getFloatVector().getDataList();
            FieldData i32 = field(batch, "i32");
            for (int r = 0; r < i32.getValidDataCount(); r++) {
                float[] v = new float[AllTypes.DIM];
                for (int k = 0; k < AllTypes.DIM; k++) {
                    v[k] = fv.get(r * AllTypes.DIM + k);
                }
                stored.add(v);
                matches.add(i32.getValidData(r) && i32.getScalars().getIntData().getData(r) > LOW);
            }
        }
        List<Long> out = new ArrayList<>();
        for (int q : queryRows) {
            float[] query = stored.get(q);
            IntStream.range(0, stored.size()).filter(matches::get).boxed()
                    .sorted(Comparator.comparingDouble(r -> squaredL2(query, stored.get(r))))
                    .limit(TOP_K).forEach(r -> out.add((long) r));
        }
        return out;
    }

    private static double squaredL2(float[] a, float[] b) {
        double sum = 0;
        for (int k = 0; k < a.length; k++) {
            double d = a[k] - b[k];
            sum += d * d;
        }
        return sum;
    }

    private static List<Long> ids(SearchResultData data) {
        return data.getIds().getIntId().getDataList();
    }

    private static FieldData field(List<FieldData> fields, String name) {
        return fields.stream().filter(f -> f.getFieldName().equals(name)).findFirst().orElseThrow();
    }

    private static ByteString floatBytes(List<Float> values) {
        ByteBuffer buf = ByteBuffer.allocate(values.size() * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        values.forEach(buf::putFloat);
        return ByteString.copyFrom(buf.array());
    }

    private static KeyValuePair kv(String k, String v) {
        return KeyValuePair.newBuilder().setKey(k).setValue(v).build();
    }

    private static void ok(Status status) {
        assertEquals(0, status.getCode(), status.getReason());
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                fail("gave up waiting for: " + what);
            }
            Thread.sleep(100);
        }
        assertTrue(condition.getAsBoolean());
    }
}
