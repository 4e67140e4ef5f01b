package io.elanus.querynode;

import io.elanus.api.Hit;
import io.elanus.api.SearchSpec;

import io.elanus.server.AllTypes;
import io.elanus.proto.CollectionInfo;
import io.elanus.proto.InsertBody;
import io.elanus.proto.PartitionInfo;
import io.elanus.proto.WalMessage;
import io.elanus.proto.WalMsgType;
import io.elanus.storage.object.LocalObjectStore;
import io.elanus.storage.wal.EmbeddedWal;
import io.elanus.vector.FloatQueries;
import io.elanus.vector.MetricType;
import io.milvus.grpc.CollectionSchema;
import io.milvus.grpc.FieldSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Searches on one shard run at the same time: each of two searches, inside its read section,
 * waits for the other to get inside too. If reads excluded each other the first would wait in
 * vain and fail when its bounded wait ends (the bound only keeps a broken build from hanging).
 */
class ConcurrentReadsTest {
    private static final String PCHANNEL = "by-dev-rootcoord-dml_0";
    private static final String VCHANNEL = PCHANNEL + "_1v0";
    private static final long PARTITION = 10;
    private static final long READ_TS = 1000;
    private static final long TIMEOUT_MS = 60_000;
    private static final long BOUND_SECONDS = 60;
    private static final int ROWS = 50;
    private static final CollectionSchema SCHEMA = AllTypes.storedSchema("c");
    private static final CollectionInfo COLLECTION = CollectionInfo.newBuilder().setId(1).setSchema(SCHEMA)
            .addVchannels(VCHANNEL).addPchannels(PCHANNEL)
            .addPartitions(PartitionInfo.newBuilder().setId(PARTITION).setName("_default")).build();

    @TempDir
    Path dir;
    private EmbeddedWal wal;
    private LocalObjectStore objects;
    private ShardDelegator delegator;
    private ExecutorService clients;

    @BeforeEach
    void start() {
        wal = EmbeddedWal.open(dir.resolve("wal"));
        objects = new LocalObjectStore(dir.resolve("objects"));
        wal.append(PCHANNEL, WalMessage.newBuilder().setType(WalMsgType.INSERT).setTimestamp(100).setVchannel(VCHANNEL)
                .setCollectionId(COLLECTION.getId()).setPartitionId(PARTITION).setSegmentId(1000)
                .setInsert(InsertBody.newBuilder().setNumRows(ROWS).addAllFieldsData(AllTypes.rows(0, ROWS, 11)))
                .build().toByteArray());
        wal.append(PCHANNEL, WalMessage.newBuilder().setType(WalMsgType.TIME_TICK).setTimestamp(READ_TS).build().toByteArray());
        delegator = new ShardDelegator(COLLECTION, VCHANNEL, wal, 0, new SegmentLoader(objects));
        delegator.start(List.of());
        clients = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void stop() {
        clients.shutdownNow();
        delegator.close();
        objects.close();
        wal.close();
    }

    @Test
    void twoSearchesOnOneShardOverlap() throws Exception {
        FieldSchema fv = SCHEMA.getFieldsList().stream().filter(f -> f.getName().equals("fv")).findFirst().orElseThrow();
        FieldSchema s = SCHEMA.getFieldsList().stream().filter(f -> f.getName().equals("s")).findFirst().orElseThrow();
        SearchSpec spec = new SearchSpec(fv.getFieldID(), MetricType.L2,
                new FloatQueries(AllTypes.DIM, new float[][]{new float[AllTypes.DIM]}), 5, null, Set.of(),
                Map.of(), false, READ_TS, Set.of(s.getFieldID()));
        CountDownLatch bothInside = new CountDownLatch(2);
        List<Future<List<List<Hit>>>> searches = List.of(
                clients.submit(() -> search(spec, bothInside)), clients.submit(() -> search(spec, bothInside)));
        List<List<Hit>> first = searches.get(0).get(2 * BOUND_SECONDS, TimeUnit.SECONDS);
        List<List<Hit>> second = searches.get(1).get(2 * BOUND_SECONDS, TimeUnit.SECONDS);
        assertEquals(5, first.getFirst().size(), "the search finds its top 5");
        assertEquals(first.getFirst().stream().map(Hit::pk).toList(), second.getFirst().stream().map(Hit::pk).toList());
    }

    /** One search whose read section waits, bounded, until the other search is inside its own. */
    private List<List<Hit>> search(SearchSpec spec, CountDownLatch bothInside) {
        return delegator.read(spec.guaranteeTs(), TIMEOUT_MS, (segments, mvccTs) -> {
            bothInside.countDown();
            try {
                assertTrue(bothInside.await(BOUND_SECONDS, TimeUnit.SECONDS),
                        "the other search did not get into its read section while this one was in it");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            return SegmentSearcher.search(segments, mvccTs, spec, null, delegator.pkFieldId(), Map.of());
        });
    }
}
