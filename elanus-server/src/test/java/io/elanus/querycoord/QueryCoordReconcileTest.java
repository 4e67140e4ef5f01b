package io.elanus.querycoord;

import io.elanus.api.DataCoordClient;
import io.elanus.api.RootCoordClient;
import io.elanus.proto.CollectionInfo;
import io.elanus.proto.LoadMeta;
import io.elanus.proto.PartitionInfo;
import io.elanus.proto.SegmentMeta;
import io.elanus.proto.SegmentStateInternal;
import io.elanus.proto.WalPositionPb;
import io.elanus.server.Await;
import io.elanus.storage.kv.EmbeddedMetaKv;
import io.elanus.msgstream.DmlChannels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Querycoord's reconcile loop against fake query nodes, datacoord and rootcoord: a load returns
 * once its target is persisted and the loop drives the nodes to loaded; a dead node's channels are
 * placed again; a release returns once the nodes let go; a restarted querycoord loads its persisted
 * targets again in the background; flushed segments are handed over; a joining node takes its share.
 */
class QueryCoordReconcileTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final long COLLECTION = 1;
    private static final String V0 = "dml-0_c1v0";
    private static final String V1 = "dml-1_c1v1";
    private static final long CHECKPOINT = 5;

    @TempDir
    Path dir;
    private EmbeddedMetaKv kv;
    private final Map<Long, CollectionInfo> catalogue = new ConcurrentHashMap<>();
    private final List<SegmentMeta> segments = new CopyOnWriteArrayList<>();
    private final AtomicLong clock = new AtomicLong(1_000);
    private RootCoordClient rootCoord;
    private DataCoordClient dataCoord;
    private final List<QueryCoord> started = new ArrayList<>();

    @BeforeEach
    void setUp() {
        kv = EmbeddedMetaKv.open(dir);
        catalogue.put(COLLECTION, CollectionInfo.newBuilder().setId(COLLECTION).addVchannels(V0).addVchannels(V1)
                .addPartitions(PartitionInfo.newBuilder().setId(100)).addPartitions(PartitionInfo.newBuilder().setId(101)).build());
        rootCoord = Fakes.implement(RootCoordClient.class, Map.of(
                "collectionById", a -> Optional.ofNullable(catalogue.get((Long) a[0])),
                "allocTimestamp", a -> clock.incrementAndGet()));
        dataCoord = Fakes.implement(DataCoordClient.class, Map.of(
                "channelCheckpoint", a -> WalPositionPb.newBuilder().setChannel(DmlChannels.pchannelOf((String) a[0]))
                        .setOffset(CHECKPOINT).build(),
                "segments", a -> segments.stream().filter(s -> s.getCollectionId() == (Long) a[0]).toList(),
                "segment", a -> segments.stream().filter(s -> s.getId() == (Long) a[0]).findFirst(),
                "indexes", a -> List.of(),
                "segmentIndexes", a -> List.of()));
    }

    @AfterEach
    void tearDown() {
        started.forEach(QueryCoord::stop);
        kv.close();
    }

    private QueryCoord start(Fakes.QueryNode... nodes) throws Exception {
        QueryCoord qc = new QueryCoord(3, kv, rootCoord, dataCoord);
        for (Fakes.QueryNode n : nodes) {
            qc.registerQueryNode(n.client);
        }
        qc.init();
        qc.start();
        started.add(qc);
        return qc;
    }

    @Test
    void aLoadReturnsOnceItsTargetIsPersistedAndTheLoopDrivesTheNodeToLoaded() throws Exception {
        segments.add(flushed(11, V0));
        Fakes.QueryNode node = new Fakes.QueryNode(5);
        node.gate = new CountDownLatch(1);
        QueryCoord qc = start(node);

        qc.load(COLLECTION, List.of(), 1);

        LoadMeta persisted = LoadMeta.parseFrom(kv.get(LoadTargets.PREFIX + COLLECTION).orElseThrow().value());
        assertTrue(persisted.getWholeCollection());
        assertEquals(List.of(100L, 101L), persisted.getPartitionIdsList());
        assertEquals(List.of(100L, 101L), qc.loadedPartitions(COLLECTION));
        assertEquals(0, qc.loadingProgress(COLLECTION, List.of()), "the node is still loading");
        assertTrue(qc.shardLeaders(COLLECTION).isEmpty());
        await(() -> qc.minReaderOffset("dml-0") == CHECKPOINT, "the WAL is held from the checkpoint the node reads from");

        node.gate.countDown();
        await(() -> qc.loadingProgress(COLLECTION, List.of()) == 100, "loaded");
        assertEquals(Map.of(V0, 5L, V1, 5L), leaderIds(qc));
        assertTrue(node.calls.containsAll(List.of("watch " + V0 + " [11]", "watch " + V1 + " []")), node.calls.toString());
        await(() -> qc.minReaderOffset("dml-0") == Fakes.QueryNode.WAL_POSITION, "then from where the node reads");
    }

    @Test
    void aFailedPlacementIsTriedAgain() throws Exception {
        Fakes.QueryNode node = new Fakes.QueryNode(5);
        node.failingWatches.set(1);
        QueryCoord qc = start(node);
        qc.load(COLLECTION, List.of(), 1);
        await(() -> qc.loadingProgress(COLLECTION, List.of()) == 100, "loaded after the retry");
        assertEquals(Map.of(V0, 5L, V1, 5L), leaderIds(qc));
    }

    @Test
    void aCollectionLoadedWithNoQueryNodeLoadsWhenOneJoins() throws Exception {
        QueryCoord qc = start();
        qc.load(COLLECTION, List.of(100L), 1);
        assertEquals(List.of(100L), qc.loadedPartitions(COLLECTION));
        assertEquals(-1, qc.loadingProgress(COLLECTION, List.of(101L)), "partition 101 is not loaded");

        Fakes.QueryNode node = new Fakes.QueryNode(5);
        qc.registerQueryNode(node.client);
        await(() -> qc.loadingProgress(COLLECTION, List.of(100L)) == 100, "loaded on the node that joined");
    }

    @Test
    void theChannelsOfADeadNodeArePlacedOnTheSurvivor() throws Exception {
        Fakes.QueryNode a = new Fakes.QueryNode(5);
        Fakes.QueryNode b = new Fakes.QueryNode(6);
        QueryCoord qc = start(a, b);
        qc.load(COLLECTION, List.of(), 1);
        await(() -> qc.loadingProgress(COLLECTION, List.of()) == 100, "loaded");
        assertEquals(Map.of(V0, 5L, V1, 6L), leaderIds(qc), "one channel per node");

        a.dead = true;
        qc.removeQueryNode(5);
        await(() -> leaderIds(qc).equals(Map.of(V0, 6L, V1, 6L)), "both channels on the survivor");
        assertTrue(b.calls.contains("watch " + V0 + " []"), b.calls.toString());
        await(() -> qc.loadingProgress(COLLECTION, List.of()) == 100, "loaded again");
    }

    @Test
    void aReleaseReturnsOnceTheNodesLetGoAndTheCollectionLoadsAgainAfter() throws Exception {
        Fakes.QueryNode node = new Fakes.QueryNode(5);
        QueryCoord qc = start(node);
        qc.load(COLLECTION, List.of(), 1);
        await(() -> qc.loadingProgress(COLLECTION, List.of()) == 100, "loaded");

        qc.releaseCollection(COLLECTION);
        assertTrue(node.calls.contains("releaseCollection " + COLLECTION), "the node let go before release returned");
        assertTrue(kv.get(LoadTargets.PREFIX + COLLECTION).isEmpty(), "the target is no longer persisted");
        assertEquals(List.of(), qc.loadedPartitions(COLLECTION));
        assertEquals(Map.of(), qc.shardLeaders(COLLECTION));
        assertEquals(-1, qc.loadingProgress(COLLECTION, List.of()));

        qc.load(COLLECTION, List.of(), 1);
        await(() -> qc.loadingProgress(COLLECTION, List.of()) == 100, "loaded again");
        assertEquals(2, node.calls.stream().filter(c -> c.startsWith("watch " + V0)).count());
    }

    @Test
    void releasingEveryLoadedPartitionReleasesTheCollection() throws Exception {
        Fakes.QueryNode node = new Fakes.QueryNode(5);
        QueryCoord qc = start(node);
        qc.load(COLLECTION, List.of(100L, 101L), 1);
        await(() -> qc.loadingProgress(COLLECTION, List.of()) == 100, "loaded");

        qc.releasePartitions(COLLECTION, List.of(101L));
        assertEquals(List.of(100L), qc.loadedPartitions(COLLECTION));
        assertFalse(node.calls.contains("releaseCollection " + COLLECTION), "the node still serves partition 100");
        qc.releasePartitions(COLLECTION, List.of(100L));
        assertTrue(node.calls.contains("releaseCollection " + COLLECTION));
        assertEquals(-1, qc.loadingProgress(COLLECTION, List.of()));
    }

    @Test
    void aRestartedQueryCoordLoadsItsPersistedTargetsAgainInTheBackground() throws Exception {
        QueryCoord first = start(new Fakes.QueryNode(5));
        first.load(COLLECTION, List.of(), 1);
        await(() -> first.loadingProgress(COLLECTION, List.of()) == 100, "loaded");
        first.stop();
        started.remove(first);
        long dropped = 2;
        kv.put(LoadTargets.PREFIX + dropped, LoadMeta.newBuilder().setCollectionId(dropped).build().toByteArray());

        Fakes.QueryNode fresh = new Fakes.QueryNode(6);
        fresh.gate = new CountDownLatch(1);
        QueryCoord second = start(fresh);
        assertEquals(List.of(100L, 101L), second.loadedPartitions(COLLECTION), "loaded, so reads are not refused as not loaded");
        assertTrue(second.shardLeaders(COLLECTION).isEmpty(), "not fully loaded meanwhile (code 103 at the proxy)");
        assertTrue(second.loadingProgress(COLLECTION, List.of()) < 100);

        fresh.gate.countDown();
        await(() -> second.loadingProgress(COLLECTION, List.of()) == 100, "loaded again");
        assertEquals(Map.of(V0, 6L, V1, 6L), leaderIds(second));
        await(() -> kv.get(LoadTargets.PREFIX + dropped).isEmpty(), "the target of a collection dropped meanwhile is forgotten");
    }

    @Test
    void aRestartedQueryCoordKeepsAChannelWhereALiveNodeServesItAlready() throws Exception {
        Fakes.QueryNode a = new Fakes.QueryNode(5);
        Fakes.QueryNode b = new Fakes.QueryNode(6);
        QueryCoord first = start(a, b);
        first.load(COLLECTION, List.of(), 1);
        await(() -> first.loadingProgress(COLLECTION, List.of()) == 100, "loaded");
        first.stop();
        started.remove(first);

        QueryCoord second = start(b, a);
        await(() -> second.loadingProgress(COLLECTION, List.of()) == 100, "loaded again");
        assertEquals(Map.of(V0, 5L, V1, 6L), leaderIds(second), "each channel stays where it was served");
        assertEquals(1, a.calls.stream().filter(c -> c.startsWith("watch ")).count(), a.calls.toString());
        assertEquals(1, b.calls.stream().filter(c -> c.startsWith("watch ")).count(), b.calls.toString());
    }

    @Test
    void segmentsFlushedAfterAChannelIsPlacedAreHandedToItsNode() throws Exception {
        Fakes.QueryNode node = new Fakes.QueryNode(5);
        QueryCoord qc = start(node);
        qc.load(COLLECTION, List.of(), 1);
        await(() -> qc.loadingProgress(COLLECTION, List.of()) == 100, "loaded");

        SegmentMeta late = flushed(21, V1);
        segments.add(late);
        qc.onSegmentFlushed(late);
        qc.onSegmentFlushed(SegmentMeta.newBuilder().setId(31).setCollectionId(9).setVchannel("dml-0_c9v0")
                .setState(SegmentStateInternal.FLUSHED).build());
        await(() -> node.calls.contains("flushed 21"), "handed over");
        assertFalse(node.calls.contains("flushed 31"), "a segment of a collection not loaded is not handed over");
    }

    @Test
    void aJoiningNodeTakesItsShareAndTheNodeItLeftLetsGo() throws Exception {
        Fakes.QueryNode a = new Fakes.QueryNode(5);
        QueryCoord qc = start(a);
        qc.load(COLLECTION, List.of(), 1);
        await(() -> qc.loadingProgress(COLLECTION, List.of()) == 100, "loaded");

        Fakes.QueryNode b = new Fakes.QueryNode(6);
        qc.registerQueryNode(b.client);
        await(() -> Set.copyOf(leaderIds(qc).values()).equals(Set.of(5L, 6L)), "one channel moved");
        String moved = leaderIds(qc).entrySet().stream().filter(e -> e.getValue() == 6L).findFirst().orElseThrow().getKey();
        assertTrue(b.calls.contains("watch " + moved + " []"), b.calls.toString());
        await(() -> a.calls.contains("releaseChannel " + moved), "the node it left lets go");
        assertEquals(100, qc.loadingProgress(COLLECTION, List.of()));
    }

    private static SegmentMeta flushed(long id, String vchannel) {
        return SegmentMeta.newBuilder().setId(id).setCollectionId(COLLECTION).setVchannel(vchannel)
                .setState(SegmentStateInternal.FLUSHED).build();
    }

    private static Map<String, Long> leaderIds(QueryCoord qc) {
        return qc.shardLeaders(COLLECTION).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().nodeId(), (x, y) -> x, TreeMap::new));
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Await.until(condition, PATIENCE, what);
    }
}
