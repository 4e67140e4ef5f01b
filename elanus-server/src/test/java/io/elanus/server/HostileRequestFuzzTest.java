package io.elanus.server;

import com.google.protobuf.ByteString;
import io.elanus.common.Config;
import io.elanus.testkit.Seed;
import io.elanus.testkit.Seeds;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.milvus.grpc.ConsistencyLevel;
import io.milvus.grpc.CreateCollectionRequest;
import io.milvus.grpc.CreateIndexRequest;
import io.milvus.grpc.DataType;
import io.milvus.grpc.DeleteRequest;
import io.milvus.grpc.DescribeIndexRequest;
import io.milvus.grpc.DescribeIndexResponse;
import io.milvus.grpc.FieldData;
import io.milvus.grpc.FlushRequest;
import io.milvus.grpc.HybridSearchRequest;
import io.milvus.grpc.InsertRequest;
import io.milvus.grpc.KeyValuePair;
import io.milvus.grpc.LoadCollectionRequest;
import io.milvus.grpc.MilvusServiceGrpc;
import io.milvus.grpc.PlaceholderGroup;
import io.milvus.grpc.PlaceholderType;
import io.milvus.grpc.PlaceholderValue;
import io.milvus.grpc.QueryRequest;
import io.milvus.grpc.ScalarField;
import io.milvus.grpc.SearchRequest;
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
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Well-formed but hostile requests against a loaded collection of every field type, with flushed and indexed
 * segments and growing rows, so that they reach the query node, the index engine and the segment codecs: odd
 * search params (radius, range_filter, ef, nprobe, drop_ratio_search ... with wrong types and out-of-range values),
 * mismatched vector types and dimensions, filters on every kind of field, mutated insert columns and index params.
 * Each must be answered with a reason the client can act on: never code 5 (what an unexpected exception turns
 * into), never a Java class name in the reason.
 */
@ExtendWith(Seeds.class)
class HostileRequestFuzzTest {
    private static final int REQUESTS = 1500;
    private static final String COLLECTION = "all_types";
    private static final int SERVICE_INTERNAL = 5;
    private static final Pattern JAVA_NAME = Pattern.compile("\\b(java|javax|jdk|com|io|org)\\.[a-z]+\\.|Exception\\b");
    private static final String[] VECTOR_FIELDS = {"fv", "hv", "bv", "xv", "iv", "sv", "nope", ""};
    private static final String[] PARAM_KEYS = {"ef", "nprobe", "radius", "range_filter", "drop_ratio_search", "level",
            "M", "efConstruction", "nlist", "m", "nbits", "inverted_index_algo", "metric_type", "index_type", "topk", "offset"};
    private static final String[] PARAM_VALUES = {"-1", "0", "1", "2", "7", "1e40", "\"abc\"", "3.5", "true", "null", "[]",
            "{}", "65537", "2147483648", "-1e-30", "1000000", "\"1\"", "\"NaN\"", "0.99", "1.0"};
    private static final String[] FILTERS = {"", "id > 3", "i32 is null", "j[\"n\"] > 2", "al[0] == 1", "array_contains(al, 3)",
            "s like \"a%\"", "$meta[\"extra\"] > 1", "fv > 1", "sv == 1", "id in [1,2,3]", "j[\"list\"][0] + 1 > 0",
            "i8 / 0 == 1", "i16 % 0 == 1", "f ** 2 > 1", "json_contains(j[\"list\"], 2)", "array_length(al) > 1",
            "exists j[\"n\"]", "id == 1.5", "s == 1", "d > \"x\"", "al == [1]", "as[0] like \"e%\"", "id > {x}",
            "random_sample(0.5)", "random_sample(1.5)", "al[100] > 1", "j[\"n\"][\"x\"] > 1", "i32 in []",
            "1 < id < 5", "i8 + 1000000000000 > 1", "$meta > 1", "ARRAY_CONTAINS_ANY(as, [\"e1\"])", "json_contains_any(j, 1)"};
    private static final String[] METRICS = {"", "L2", "IP", "COSINE", "HAMMING", "JACCARD", "BM25", "l2", "foo"};
    private static final String[] OUTPUT_FIELDS = {"*", "id", "j", "al", "fv", "sv", "$meta", "extra", "count(*)", "nope"};
    private static final String[] INDEX_TYPES = {"HNSW", "IVF_FLAT", "IVF_PQ", "IVF_SQ8", "BIN_IVF_FLAT", "SPARSE_INVERTED_INDEX",
            "FLAT", "BIN_FLAT", "AUTOINDEX", "DISKANN", "", "SPARSE_WAND"};

    @TempDir
    Path dataDir;

    @Test
    void hostileRequestsToALoadedCollectionGetAReasonNeverAnInternalError(Seed seed) throws Exception {
        Random r = seed.random(1);
        Config config = Config.load(null, Map.of(), Map.of("proxy.port", "0", "metrics.port", "0", "proxy.maxVectorFieldNum", "6"));
        List<String> internal = new ArrayList<>();
        try (Standalone server = new Standalone(config, dataDir)) {
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
            try {
                MilvusServiceGrpc.MilvusServiceBlockingStub milvus = MilvusServiceGrpc.newBlockingStub(channel);
                populate(milvus, seed);
                for (int i = 0; i < REQUESTS; i++) {
                    String what;
                    Status status;
                    switch (r.nextInt(9)) {
                        case 0, 1, 2 -> {
                            SearchRequest search = search(r);
                            what = "search " + search.getSearchParamsList() + " filter <" + search.getDsl() + ">";
                            status = milvus.search(search).getStatus();
                        }
                        case 3 -> {
                            HybridSearchRequest hybrid = HybridSearchRequest.newBuilder().setCollectionName(COLLECTION)
                                    .addRequests(search(r)).addRequests(search(r))
                                    .addRankParams(kv("strategy", r.nextBoolean() ? "rrf" : "weighted"))
                                    .addRankParams(kv("params", params(r))).addRankParams(kv("limit", Integer.toString(r.nextInt(20) - 2)))
                                    .build();
                            what = "hybrid search " + hybrid.getRequestsList().stream().map(SearchRequest::getSearchParamsList).toList();
                            status = milvus.hybridSearch(hybrid).getStatus();
                        }
                        case 4 -> {
                            QueryRequest query = query(r);
                            what = "query <" + query.getExpr() + "> " + query.getQueryParamsList() + " " + query.getOutputFieldsList();
                            status = milvus.query(query).getStatus();
                        }
                        case 5 -> {
                            List<FieldData> rows = mutate(r, AllTypes.rows(10_000 + 3 * i, 3, seed.derive(i)));
                            what = "insert of " + rows.stream().map(f -> f.getFieldName() + ":" + f.getType()).toList();
                            status = milvus.insert(InsertRequest.newBuilder().setCollectionName(COLLECTION).addAllFieldsData(rows)
                                    .setNumRows(r.nextInt(5) == 0 ? r.nextInt(6) : 3).build()).getStatus();
                        }
                        case 6 -> {
                            List<FieldData> rows = mutate(r, AllTypes.rows(10_000 + 3 * i, 3, seed.derive(i)));
                            what = "upsert of " + rows.stream().map(f -> f.getFieldName() + ":" + f.getType()).toList();
                            status = milvus.upsert(UpsertRequest.newBuilder().setCollectionName(COLLECTION).addAllFieldsData(rows)
                                    .setPartialUpdate(r.nextBoolean()).setNumRows(3).build()).getStatus();
                        }
                        case 7 -> {
                            // Only a few early rows may go, so that the searches keep finding data.
                            String filter = "id < 50 and (" + pick(r, FILTERS) + ")";
                            what = "delete <" + filter + ">";
                            status = milvus.delete(DeleteRequest.newBuilder().setCollectionName(COLLECTION).setExpr(filter).build()).getStatus();
                        }
                        default -> {
                            CreateIndexRequest index = CreateIndexRequest.newBuilder().setCollectionName(COLLECTION)
                                    .setFieldName(pick(r, VECTOR_FIELDS)).setIndexName("idx" + r.nextInt(3))
                                    .addExtraParams(kv("index_type", pick(r, INDEX_TYPES))).addExtraParams(kv("metric_type", pick(r, METRICS)))
                                    .addExtraParams(kv("params", params(r))).build();
                            what = "create index " + index.getFieldName() + " " + index.getExtraParamsList();
                            status = milvus.createIndex(index);
                        }
                    }
                    if (status.getCode() == SERVICE_INTERNAL || JAVA_NAME.matcher(status.getReason()).find()) {
                        internal.add(what.replace('\n', ' ') + " -> " + status.getCode() + " " + status.getReason());
                    }
                }
            } finally {
                channel.shutdownNow();
            }
        }
        assertEquals(List.of(), internal.subList(0, Math.min(10, internal.size())),
                internal.size() + " requests got an internal error or a Java name in the reason");
    }

    /** A loaded collection with two shards: flushed rows under an index of each vector kind, and growing rows. */
    private static void populate(MilvusServiceGrpc.MilvusServiceBlockingStub milvus, Seed seed) throws InterruptedException {
        ok(milvus.createCollection(CreateCollectionRequest.newBuilder().setCollectionName(COLLECTION)
                .setSchema(AllTypes.userSchema(COLLECTION).toByteString()).setShardsNum(2).build()));
        ok(milvus.insert(InsertRequest.newBuilder().setCollectionName(COLLECTION).addAllFieldsData(AllTypes.rows(0, 1200, seed.derive(2)))
                .setNumRows(1200).build()).getStatus());
        ok(milvus.flush(FlushRequest.newBuilder().addCollectionNames(COLLECTION).build()).getStatus());
        index(milvus, "fv", "HNSW", "L2", "{\"M\": 8, \"efConstruction\": 64}");
        index(milvus, "hv", "IVF_FLAT", "IP", "{\"nlist\": 16}");
        index(milvus, "bv", "IVF_PQ", "L2", "{\"nlist\": 8, \"m\": 4}");
        index(milvus, "iv", "HNSW", "COSINE", "{}");
        index(milvus, "xv", "BIN_IVF_FLAT", "JACCARD", "{\"nlist\": 8}");
        index(milvus, "sv", "SPARSE_INVERTED_INDEX", "IP", "{}");
        ok(milvus.loadCollection(LoadCollectionRequest.newBuilder().setCollectionName(COLLECTION).build()));
        awaitIndexed(milvus);
        ok(milvus.insert(InsertRequest.newBuilder().setCollectionName(COLLECTION).addAllFieldsData(AllTypes.rows(5000, 50, seed.derive(3)))
                .setNumRows(50).build()).getStatus());
    }

    /** Until every index covers the flushed rows, so that searches reach the indexes and not only exact search. */
    private static void awaitIndexed(MilvusServiceGrpc.MilvusServiceBlockingStub milvus) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (true) {
            DescribeIndexResponse indexes = milvus.describeIndex(DescribeIndexRequest.newBuilder().setCollectionName(COLLECTION).build());
            ok(indexes.getStatus());
            if (indexes.getIndexDescriptionsList().stream().allMatch(i -> i.getTotalRows() > 0 && i.getIndexedRows() == i.getTotalRows())) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("indexes not built within 2 minutes: " + indexes.getIndexDescriptionsList());
            }
            Thread.sleep(200);
        }
    }

    private static SearchRequest search(Random r) {
        String field = pick(r, VECTOR_FIELDS);
        SearchRequest.Builder b = SearchRequest.newBuilder().setCollectionName(COLLECTION)
                .setDsl(r.nextInt(3) == 0 ? pick(r, FILTERS) : "")
                .addSearchParams(kv("anns_field", field))
                .addSearchParams(kv("topk", Integer.toString(r.nextInt(5) == 0 ? r.nextInt(100) - 3 : 1 + r.nextInt(10))))
                .addSearchParams(kv("params", params(r))).addSearchParams(kv("metric_type", pick(r, METRICS)))
                .setConsistencyLevel(ConsistencyLevel.forNumber(r.nextInt(5))).setUseDefaultConsistency(r.nextBoolean());
        if (r.nextInt(4) == 0) {
            b.addSearchParams(kv("offset", Integer.toString(r.nextInt(10) - 1)));
        }
        if (r.nextInt(6) == 0) {
            b.addSearchParams(kv("round_decimal", Integer.toString(r.nextInt(9) - 2)));
        }
        if (r.nextInt(6) == 0) {
            b.addSearchParams(kv("ignore_growing", r.nextBoolean() ? "true" : "x"));
        }
        if (r.nextInt(3) == 0) {
            b.addOutputFields(pick(r, OUTPUT_FIELDS));
        }
        if (r.nextInt(8) == 0) {
            b.addPartitionNames(r.nextBoolean() ? "_default" : "nope");
        }
        if (r.nextInt(8) == 0) {
            b.putExprTemplateValues("x", TemplateValue.newBuilder().setInt64Val(3).build());
        }
        String queried = r.nextInt(30) == 0 ? pick(r, VECTOR_FIELDS) : field;
        return b.setPlaceholderGroup(PlaceholderGroup.newBuilder().addPlaceholders(queries(r, queried)).build().toByteString()).build();
    }

    /** Query vectors in the field's encoding, now and then of another type, dimension or count. */
    private static PlaceholderValue queries(Random r, String field) {
        int nq = r.nextInt(10) == 0 ? r.nextInt(4) : 1 + r.nextInt(3);
        int dimDelta = r.nextInt(8) == 0 ? r.nextInt(5) - 2 : 0;
        PlaceholderType type = switch (field) {
            case "hv" -> PlaceholderType.Float16Vector;
            case "bv" -> PlaceholderType.BFloat16Vector;
            case "xv" -> PlaceholderType.BinaryVector;
            case "iv" -> PlaceholderType.Int8Vector;
            case "sv" -> PlaceholderType.SparseFloatVector;
            default -> PlaceholderType.FloatVector;
        };
        PlaceholderValue.Builder b = PlaceholderValue.newBuilder().setTag("$0").setType(r.nextInt(15) == 0
                ? PlaceholderType.values()[r.nextInt(PlaceholderType.values().length - 1)] : type);
        for (int q = 0; q < nq; q++) {
            int width = switch (type) {
                case Float16Vector, BFloat16Vector -> 2 * AllTypes.DIM;
                case BinaryVector -> AllTypes.BINARY_DIM / 8;
                case Int8Vector -> AllTypes.DIM;
                case SparseFloatVector -> 8 * (1 + r.nextInt(4));
                default -> 4 * AllTypes.DIM;
            };
            ByteBuffer buf = ByteBuffer.allocate(Math.max(0, width + dimDelta * 4)).order(ByteOrder.LITTLE_ENDIAN);
            if (type == PlaceholderType.SparseFloatVector) {
                for (int k = 0; k + 8 <= buf.capacity(); k += 8) {
                    buf.putInt(r.nextInt(5) == 0 ? -1 - r.nextInt(3) : k * 3 + r.nextInt(3));
                    buf.putFloat(r.nextInt(6) == 0 ? 0f : r.nextFloat());
                }
            } else if (type == PlaceholderType.FloatVector) {
                for (int k = 0; k + 4 <= buf.capacity(); k += 4) {
                    buf.putFloat(r.nextInt(30) == 0 ? 0f : r.nextFloat());
                }
            } else {
                byte[] bytes = new byte[buf.capacity()];
                r.nextBytes(bytes);
                buf.put(bytes);
            }
            b.addValues(ByteString.copyFrom(buf.array()));
        }
        return b.build();
    }

    private static QueryRequest query(Random r) {
        QueryRequest.Builder b = QueryRequest.newBuilder().setCollectionName(COLLECTION).setExpr(pick(r, FILTERS))
                .setConsistencyLevel(ConsistencyLevel.forNumber(r.nextInt(5)));
        for (int i = r.nextInt(3); i > 0; i--) {
            b.addOutputFields(pick(r, OUTPUT_FIELDS));
        }
        if (r.nextInt(3) == 0) {
            b.addQueryParams(kv("limit", pick(r, PARAM_VALUES).replace("\"", "")));
        }
        if (r.nextInt(4) == 0) {
            b.addQueryParams(kv("offset", pick(r, PARAM_VALUES).replace("\"", "")));
        }
        if (r.nextInt(8) == 0) {
            b.putExprTemplateValues("x", TemplateValue.newBuilder().setStringVal("a").build());
        }
        return b.build();
    }

    /** A JSON object of a few search or build params with values of any type; now and then not JSON at all. */
    private static String params(Random r) {
        if (r.nextInt(30) == 0) {
            return "{bad json";
        }
        List<String> entries = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            entries.add("\"" + pick(r, PARAM_KEYS) + "\": " + pick(r, PARAM_VALUES));
        }
        if (r.nextInt(4) == 0) {
            entries.add("\"radius\": " + (r.nextInt(5) - 1));
            entries.add("\"range_filter\": " + (r.nextInt(5) - 1));
        }
        return "{" + String.join(", ", entries) + "}";
    }

    /** Valid columns with, one time in four, one of them broken: dropped, retyped, renamed, emptied or doubled. */
    private static List<FieldData> mutate(Random r, List<FieldData> rows) {
        List<FieldData> out = new ArrayList<>(rows);
        if (r.nextInt(4) != 0) {
            return out;
        }
        int f = r.nextInt(out.size());
        FieldData d = out.get(f);
        switch (r.nextInt(7)) {
            case 0 -> out.remove(f);
            case 1 -> out.set(f, d.toBuilder().setType(DataType.values()[r.nextInt(DataType.values().length - 1)]).build());
            case 2 -> out.set(f, d.toBuilder().setFieldName(r.nextBoolean() ? "fv" : "zzz").build());
            case 3 -> out.set(f, d.toBuilder().clearValidData().addValidData(true).build());
            case 4 -> out.set(f, d.hasVectors()
                    ? d.toBuilder().setVectors(d.getVectors().toBuilder().setDim(r.nextInt(20) - 1)).build()
                    : d.toBuilder().setScalars(ScalarField.getDefaultInstance()).build());
            case 5 -> out.add(d);
            default -> out.set(f, d.toBuilder().setIsDynamic(!d.getIsDynamic()).build());
        }
        return out;
    }

    private static void index(MilvusServiceGrpc.MilvusServiceBlockingStub milvus, String field, String type, String metric, String params) {
        ok(milvus.createIndex(CreateIndexRequest.newBuilder().setCollectionName(COLLECTION).setFieldName(field)
                .setIndexName(field + "_idx").addExtraParams(kv("index_type", type)).addExtraParams(kv("metric_type", metric))
                .addExtraParams(kv("params", params)).build()));
    }

    private static String pick(Random r, String[] values) {
        return values[r.nextInt(values.length)];
    }

    private static KeyValuePair kv(String key, String value) {
        return KeyValuePair.newBuilder().setKey(key).setValue(value).build();
    }

    private static void ok(Status status) {
        assertEquals(0, status.getCode(), status.getReason());
    }
}
