package io.elanus.querynode;

import io.elanus.api.FilterText;

import io.elanus.api.Hit;
import io.elanus.api.QuerySpec;
import io.elanus.api.SearchSpec;
import io.elanus.rpc.querynode.QueryNodeGrpcClient;
import io.elanus.rpc.querynode.QueryNodeGrpcService;

import io.elanus.server.AllTypes;
import io.elanus.rpc.ChannelPool;
import io.elanus.rpc.RpcServer;
import io.elanus.common.MilvusError;
import io.elanus.common.MilvusException;
import io.elanus.proto.CollectionInfo;
import io.elanus.proto.FieldBinlog;
import io.elanus.proto.InsertBody;
import io.elanus.proto.PartitionInfo;
import io.elanus.proto.SegmentMeta;
import io.elanus.proto.WalMessage;
import io.elanus.proto.WalMsgType;
import io.elanus.segment.FieldDataBuilder;
import io.elanus.segment.HalfFloats;
import io.elanus.segment.SparseRows;
import io.elanus.storage.kv.EmbeddedMetaKv;
import io.elanus.storage.object.LocalObjectStore;
import io.elanus.storage.wal.EmbeddedWal;
import io.elanus.testkit.Seed;
import io.elanus.testkit.Seeds;
import io.elanus.vector.ByteQueries;
import io.elanus.vector.FloatQueries;
import io.elanus.vector.MetricType;
import io.elanus.vector.QueryVectors;
import io.elanus.vector.SparseQueries;
import io.milvus.grpc.CollectionSchema;
import io.milvus.grpc.DataType;
import io.milvus.grpc.FieldData;
import io.milvus.grpc.FieldSchema;
import io.milvus.grpc.TemplateValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A query node served over loopback gRPC answers searches, queries and counts exactly as it does
 * in-process: same keys, scores and order, and the same values for output fields of every data
 * type; filters with template values are compiled on the node; failures keep their Milvus kind.
 */
@ExtendWith(Seeds.class)
class QueryNodeGrpcTest {
    private static final String PCHANNEL = "by-dev-rootcoord-dml_0";
    private static final String VCHANNEL = PCHANNEL + "_1v0";
    private static final long PARTITION = 10;
    private static final long READ_TS = 1000;
    private static final long TIMEOUT_MS = 30_000;
    private static final CollectionSchema SCHEMA = AllTypes.storedSchema("c");
    private static final CollectionInfo COLLECTION = CollectionInfo.newBuilder().setId(1).setSchema(SCHEMA)
            .addVchannels(VCHANNEL).addPchannels(PCHANNEL)
            .addPartitions(PartitionInfo.newBuilder().setId(PARTITION).setName("_default")).build();

    @TempDir
    Path dir;
    private EmbeddedMetaKv kv;
    private EmbeddedWal wal;
    private LocalObjectStore objects;
    private QueryNode node;
    private RpcServer server;
    private ChannelPool channels;
    private QueryNodeGrpcClient client;
    private Seed seed;

    @BeforeEach
    void start(Seed seed) throws IOException {
        this.seed = seed;
        kv = EmbeddedMetaKv.open(dir.resolve("meta"));
        wal = EmbeddedWal.open(dir.resolve("wal"));
        objects = new LocalObjectStore(dir.resolve("objects"));
        node = new QueryNode(5, kv, wal, objects, dir.resolve("cache"));
        node.init();
        node.start();
        server = RpcServer.start(0, List.of(new QueryNodeGrpcService(node)));
        channels = new ChannelPool();
        client = new QueryNodeGrpcClient(5, channels.channel("localhost:" + server.port()), Duration.ofSeconds(30));
        client.watchChannel(COLLECTION, VCHANNEL, 0, List.of());
        insert(1000, 0, 60, 100);
        insert(1001, 60, 40, 101);
        wal.append(PCHANNEL, WalMessage.newBuilder().setType(WalMsgType.TIME_TICK).setTimestamp(READ_TS).build().toByteArray());
    }

    private void insert(long segment, int first, int rows, long ts) {
        WalMessage msg = WalMessage.newBuilder().setType(WalMsgType.INSERT).setTimestamp(ts).setVchannel(VCHANNEL)
                .setCollectionId(COLLECTION.getId()).setPartitionId(PARTITION).setSegmentId(segment)
                .setInsert(InsertBody.newBuilder().setNumRows(rows).addAllFieldsData(AllTypes.rows(first, rows, seed.derive(segment)))).build();
        wal.append(PCHANNEL, msg.toByteArray());
    }

    @AfterEach
    void stop() {
        channels.close();
        server.close();
        node.stop();
        objects.close();
        wal.close();
        kv.close();
    }

    @Test
    void searchesOfEveryVectorKindReturnTheSameHitsAndOutputValues() {
        Random r = seed.random(7);
        FilterText filter = new FilterText("i32 > {low} or s like \"a%\"",
                Map.of("low", TemplateValue.newBuilder().setInt64Val(40).build()));
        Map<String, MetricType> metrics = Map.of("fv", MetricType.L2, "hv", MetricType.IP, "bv", MetricType.COSINE,
                "iv", MetricType.L2, "xv", MetricType.HAMMING, "sv", MetricType.IP);
        for (Map.Entry<String, MetricType> e : metrics.entrySet()) {
            FieldSchema anns = field(e.getKey());
            SearchSpec spec = new SearchSpec(anns.getFieldID(), e.getValue(), queries(anns, r), 7, filter, Set.of(PARTITION),
                    Map.of(), false, READ_TS, allFieldIds());
            List<List<Hit>> local = node.search(VCHANNEL, spec, TIMEOUT_MS);
            List<List<Hit>> remote = client.search(VCHANNEL, spec, TIMEOUT_MS);
            assertEquals(local.size(), remote.size());
            for (int q = 0; q < local.size(); q++) {
                assertFalse(local.get(q).isEmpty(), "the search finds rows");
                assertSameHits(local.get(q), remote.get(q), spec.outputFieldIds());
            }
        }
    }

    @Test
    void queriesAndCountsReturnTheSameRows() {
        FilterText filter = new FilterText("json_contains(j[\"list\"], 2) and array_length(al) > {n} and $meta[\"color\"] == \"red\"",
                Map.of("n", TemplateValue.newBuilder().setInt64Val(0).build()));
        for (long limit : new long[]{-1, 5}) {
            QuerySpec spec = new QuerySpec(filter, Set.of(), limit, READ_TS, allFieldIds());
            List<Hit> local = node.query(VCHANNEL, spec, TIMEOUT_MS);
            assertFalse(local.isEmpty());
            assertSameHits(local, client.query(VCHANNEL, spec, TIMEOUT_MS), spec.outputFieldIds());
            assertEquals(node.count(VCHANNEL, spec, TIMEOUT_MS), client.count(VCHANNEL, spec, TIMEOUT_MS));
        }
        QuerySpec everything = new QuerySpec(null, Set.of(PARTITION), -1, READ_TS, allFieldIds());
        assertEquals(100, client.count(VCHANNEL, everything, TIMEOUT_MS));
        assertSameHits(node.query(VCHANNEL, everything, TIMEOUT_MS), client.query(VCHANNEL, everything, TIMEOUT_MS),
                everything.outputFieldIds());
    }

    @Test
    void onlyTheRequestedFieldsTravel() {
        long i32 = field("i32").getFieldID();
        QuerySpec spec = new QuerySpec(null, Set.of(), 3, READ_TS, Set.of(i32));
        List<Hit> hits = client.query(VCHANNEL, spec, TIMEOUT_MS);
        assertEquals(List.of(0L, 1L, 2L), hits.stream().map(Hit::pk).toList());
        assertEquals(Set.of(i32), hits.getFirst().values().keySet());
        assertNull(hits.getFirst().value(i32), "row 0 has a null i32");
        assertEquals(Set.of(i32), hits.get(1).values().keySet());
        assertNotNull(hits.get(1).value(i32));
    }

    @Test
    void theOtherCallsReachTheNode() {
        QuerySpec spec = new QuerySpec(null, Set.of(), -1, READ_TS, Set.of());
        assertEquals(100, client.count(VCHANNEL, spec, TIMEOUT_MS), "waits until the rows and the last tick are applied");
        assertEquals(READ_TS, client.tsafe(VCHANNEL));
        assertEquals(node.walPosition(VCHANNEL), client.walPosition(VCHANNEL));
        assertEquals(-1, client.tsafe("not-served"));
        assertEquals(Map.of(1000L, 60L, 1001L, 40L), client.loadedSegments(COLLECTION.getId()));
        assertEquals(5, client.nodeId());
        // Both fail inside the node (nothing is in the object store): the failure proves the call got there.
        SegmentMeta flushed = SegmentMeta.newBuilder().setId(2000).setCollectionId(1).setPartitionId(PARTITION)
                .setVchannel(VCHANNEL).setNumRows(1).setLevel(1)
                .addBinlogs(FieldBinlog.newBuilder().setFieldId(100).setPath("insert_log/missing")).build();
        assertSameFailure(() -> node.onSegmentFlushed(flushed), () -> client.onSegmentFlushed(flushed));
        assertSameFailure(() -> node.loadIndex(1, 1000, 111, "index_files/missing"),
                () -> client.loadIndex(1, 1000, 111, "index_files/missing"));

        client.releaseCollection(COLLECTION.getId());
        assertEquals(-1, node.tsafe(VCHANNEL));
        assertSameFailure(() -> node.count(VCHANNEL, spec, TIMEOUT_MS), () -> client.count(VCHANNEL, spec, TIMEOUT_MS));
        MilvusException e = assertThrows(MilvusException.class, () -> client.query(VCHANNEL, spec, TIMEOUT_MS));
        assertEquals(MilvusError.CHANNEL_NOT_FOUND, e.kind());
    }

    @Test
    void filtersAreCompiledOnTheNode() {
        QuerySpec bad = new QuerySpec(new FilterText("i32 > > {n}", Map.of("n", TemplateValue.newBuilder().setInt64Val(1).build())),
                Set.of(), -1, READ_TS, Set.of());
        assertSameFailure(() -> node.query(VCHANNEL, bad, TIMEOUT_MS), () -> client.query(VCHANNEL, bad, TIMEOUT_MS));
        MilvusException e = assertThrows(MilvusException.class, () -> client.count(VCHANNEL, bad, TIMEOUT_MS));
        assertEquals(MilvusError.PARAMETER_INVALID, e.kind());
        assertTrue(e.getMessage().startsWith("cannot parse expression: i32 > > {n}, error: "), e.getMessage());
    }

    @Test
    void theServiceKeepsNoStateOfItsOwn() {
        // Watched on the node directly, not through the service: the service still serves it.
        String other = PCHANNEL + "_1v1";
        node.watchChannel(COLLECTION.toBuilder().addVchannels(other).build(), other, 0, List.of());
        QuerySpec spec = new QuerySpec(new FilterText("i32 >= 0", Map.of()), Set.of(), -1, READ_TS, Set.of());
        assertEquals(0, client.count(other, spec, TIMEOUT_MS), "the rows were all written to the first channel");
        assertEquals(READ_TS, client.tsafe(other));
    }

    @Test
    void anUnreachableNodeIsServiceUnavailable() {
        server.close();
        MilvusException e = assertThrows(MilvusException.class, () -> client.tsafe(VCHANNEL));
        assertEquals(MilvusError.SERVICE_UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().contains("querynode 5"), e.getMessage());
    }

    /** A node-side failure reaches the caller as a MilvusException of the same kind and message. */
    private static void assertSameFailure(Executable inProcess, Executable remote) {
        RuntimeException local = assertThrows(RuntimeException.class, inProcess);
        MilvusException wire = assertThrows(MilvusException.class, remote);
        if (local instanceof MilvusException m) {
            assertEquals(m.kind(), wire.kind());
            assertEquals(m.getMessage(), wire.getMessage());
        } else {
            assertEquals(MilvusError.SERVICE_INTERNAL, wire.kind());
            assertEquals(local.getMessage() + ": service internal error", wire.getMessage());
        }
    }

    /** Same keys and scores in the same order, and the same values of every field, as the proxy would read them. */
    private static void assertSameHits(List<Hit> expected, List<Hit> actual, Set<Long> fieldIds) {
        assertEquals(expected.stream().map(Hit::pk).toList(), actual.stream().map(Hit::pk).toList());
        assertEquals(expected.stream().map(Hit::score).toList(), actual.stream().map(Hit::score).toList());
        for (long id : fieldIds) {
            FieldSchema f = SCHEMA.getFieldsList().stream().filter(x -> x.getFieldID() == id).findFirst().orElseThrow();
            assertEquals(gather(f, expected), gather(f, actual), "values of " + f.getName());
        }
    }

    private static FieldData gather(FieldSchema f, List<Hit> hits) {
        FieldDataBuilder b = new FieldDataBuilder(f, null, hits.size());
        hits.forEach(h -> b.appendValue(h.value(f.getFieldID())));
        return b.build();
    }

    private static Set<Long> allFieldIds() {
        Set<Long> ids = new LinkedHashSet<>();
        SCHEMA.getFieldsList().forEach(f -> ids.add(f.getFieldID()));
        return ids;
    }

    private static FieldSchema field(String name) {
        return SCHEMA.getFieldsList().stream().filter(f -> f.getName().equals(name)).findFirst().orElseThrow();
    }

    /** Two query vectors of the field's kind. */
    private static QueryVectors queries(FieldSchema anns, Random r) {
        int n = 2;
        return switch (anns.getDataType()) {
            case FloatVector, Float16Vector, BFloat16Vector -> {
                float[][] v = new float[n][AllTypes.DIM];
                for (float[] q : v) {
                    for (int k = 0; k < q.length; k++) {
                        q[k] = r.nextFloat() * 2 - 1;
                    }
                }
                yield new FloatQueries(AllTypes.DIM, v);
            }
            case Int8Vector -> new ByteQueries(AllTypes.DIM, randomBytes(r, n, AllTypes.DIM));
            case BinaryVector -> new ByteQueries(AllTypes.BINARY_DIM, randomBytes(r, n, AllTypes.BINARY_DIM / 8));
            case SparseFloatVector -> {
                int[][] idx = new int[n][];
                float[][] val = new float[n][];
                for (int q = 0; q < n; q++) {
                    SparseRows.parse(AllTypes.sparseRow(r), idx, val, q);
                }
                yield new SparseQueries(idx, val);
            }
            default -> throw new IllegalArgumentException(anns.getDataType().toString());
        };
    }

    private static byte[][] randomBytes(Random r, int n, int bytes) {
        byte[][] v = new byte[n][bytes];
        for (byte[] q : v) {
            r.nextBytes(q);
        }
        return v;
    }
}
