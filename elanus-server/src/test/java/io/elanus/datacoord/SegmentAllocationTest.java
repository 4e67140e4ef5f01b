package io.elanus.datacoord;



import io.elanus.api.DataCoordClient.FlushResult;
import io.elanus.common.Config;
import io.elanus.common.Params;
import io.elanus.common.Tso;
import io.elanus.proto.CollectionInfo;
import io.elanus.proto.SegmentMeta;
import io.elanus.proto.SegmentStateInternal;
import io.elanus.rootcoord.RootCoord;
import io.elanus.server.Await;
import io.elanus.testkit.Seed;
import io.elanus.testkit.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Segment allocation on the insert path: IDs and start timestamps come from ranges, so inserts
 * make no rootcoord call; a segment never takes more rows than it holds, is sealed when full or
 * flushed, and a restart resumes the growing segments without reusing an ID.
 */
@ExtendWith(Seeds.class)
class SegmentAllocationTest {
    /** 16 bookkeeping + 8 (Int64 pk) + 4 x 8 (the vector), as RowSizeEstimator counts. */
    private static final long ROW_BYTES = 16 + 8 + 4 * DataCoordFixture.DIM;

    @TempDir
    Path dir;

    private static long partition(CollectionInfo c) {
        return c.getPartitions(0).getId();
    }

    @Test
    void insertsIntoOpenSegmentsMakeNoRemoteCall() {
        try (DataCoordFixture f = new DataCoordFixture(dir)) {
            CollectionInfo c = f.createCollection("c", 4);
            f.takeRootCoordCalls();
            Map<String, Long> opened = new HashMap<>();
            for (String v : c.getVchannelsList()) {
                opened.put(v, f.dataCoord.assignSegment(c.getId(), partition(c), v, 10));
            }
            Map<String, Integer> opening = f.takeRootCoordCalls();
            assertEquals(1, opening.get("allocIds"), "four segment IDs from one range: " + opening);
            assertEquals(1, opening.get("collectionById"), "the row size is looked up once per collection: " + opening);
            assertTrue(opening.get("allocTimestamps") <= 4 && !opening.containsKey("allocTimestamp"), opening.toString());
            assertEquals(4, Set.copyOf(opened.values()).size());

            for (int i = 0; i < 1_000; i++) {
                String v = c.getVchannels(i % 4);
                assertEquals(opened.get(v), f.dataCoord.assignSegment(c.getId(), partition(c), v, 10));
            }
            assertEquals(Map.of(), f.takeRootCoordCalls(), "1,000 inserts into open segments called rootcoord");
        }
    }

    @Test
    void aFullSegmentIsSealedAndItsDatanodeAskedToFlushIt() throws Exception {
        try (DataCoordFixture f = new DataCoordFixture(dir, 100 * ROW_BYTES)) {
            CollectionInfo c = f.createCollection("c", 1);
            String v = c.getVchannels(0);
            long first = f.dataCoord.assignSegment(c.getId(), partition(c), v, 30);
            assertEquals(first, f.dataCoord.assignSegment(c.getId(), partition(c), v, 30));
            assertEquals(first, f.dataCoord.assignSegment(c.getId(), partition(c), v, 40), "100 rows fit");
            long second = f.dataCoord.assignSegment(c.getId(), partition(c), v, 1);
            assertNotEquals(first, second);

            SegmentMeta sealed = f.dataCoord.segment(first).orElseThrow();
            assertEquals(SegmentStateInternal.SEALED, sealed.getState());
            assertEquals(SegmentStateInternal.GROWING, f.dataCoord.segment(second).orElseThrow().getState());
            assertTrue(sealed.getEndTs() > sealed.getStartTs());
            String expected = v + " [" + first + "] " + sealed.getEndTs();
            Await.until(() -> f.flushRequests.contains(expected), Duration.ofSeconds(30), "the flush request " + expected);
        }
    }

    @Test
    void aSegmentOpenLongerThanTheSyncPeriodIsSealed() throws Exception {
        Config oneSecond = Config.load(null, Map.of(), Map.of(Params.SYNC_PERIOD.key(), "1"));
        try (DataCoordFixture f = new DataCoordFixture(dir, oneSecond)) {
            CollectionInfo c = f.createCollection("c", 1);
            long s = f.dataCoord.assignSegment(c.getId(), partition(c), c.getVchannels(0), 5);
            Await.until(() -> f.dataCoord.segment(s).orElseThrow().getState() == SegmentStateInternal.SEALED,
                    Duration.ofSeconds(60), "the idle segment sealed");
            SegmentMeta sealed = f.dataCoord.segment(s).orElseThrow();
            assertTrue(Tso.physicalMillis(sealed.getEndTs()) - Tso.physicalMillis(sealed.getStartTs()) > 1_000,
                    "sealed only once older than the period");
            String expected = c.getVchannels(0) + " [" + s + "] " + sealed.getEndTs();
            Await.until(() -> f.flushRequests.contains(expected), Duration.ofSeconds(30), "the flush request " + expected);
        }
    }

    @Test
    void flushSealsEveryGrowingSegmentAndFlushesEveryChannel() throws Exception {
        try (DataCoordFixture f = new DataCoordFixture(dir)) {
            CollectionInfo c = f.createCollection("c", 2);
            String v0 = c.getVchannels(0);
            String v1 = c.getVchannels(1);
            long s = f.dataCoord.assignSegment(c.getId(), partition(c), v0, 5);

            FlushResult r = f.dataCoord.flush(c.getId());

            assertEquals(List.of(s), r.segmentIds());
            assertEquals(r.flushTs(), f.dataCoord.segment(s).orElseThrow().getEndTs());
            List<String> expected = List.of(v0 + " [" + s + "] " + r.flushTs(), v1 + " [] " + r.flushTs());
            Await.until(() -> f.flushRequests.containsAll(expected), Duration.ofSeconds(30), "flush requests " + expected);
            assertNotEquals(s, f.dataCoord.assignSegment(c.getId(), partition(c), v0, 5), "a sealed segment takes no rows");
        }
    }

    @Test
    void concurrentInsertsOpenOneSegmentAtATimeAndNeverOverfillOne(Seed seed) throws Exception {
        int capacity = 500;
        try (DataCoordFixture f = new DataCoordFixture(dir, capacity * ROW_BYTES)) {
            CollectionInfo c = f.createCollection("c", 2);
            Map<Long, Long> rowsBySegment = new ConcurrentHashMap<>();
            Map<Long, String> channelOf = new ConcurrentHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                List<Future<Long>> inserted = new ArrayList<>();
                for (int t = 0; t < 6; t++) {
                    Random random = seed.random(t);
                    inserted.add(pool.submit(() -> {
                        long rows = 0;
                        for (int i = 0; i < 300; i++) {
                            String v = c.getVchannels(random.nextInt(2));
                            int n = 1 + random.nextInt(20);
                            long id = f.dataCoord.assignSegment(c.getId(), partition(c), v, n);
                            rowsBySegment.merge(id, (long) n, Long::sum);
                            channelOf.put(id, v);
                            rows += n;
                        }
                        return rows;
                    }));
                }
                long total = 0;
                for (Future<Long> done : inserted) {
                    total += done.get();
                }
                assertEquals(total, rowsBySegment.values().stream().mapToLong(Long::longValue).sum());
            } finally {
                pool.shutdownNow();
            }
            rowsBySegment.forEach((id, rows) -> assertTrue(rows <= capacity, "segment " + id + " took " + rows + " rows"));
            for (String v : c.getVchannelsList()) {
                List<SegmentMeta> ofChannel = f.dataCoord.segments(c.getId()).stream()
                        .filter(s -> s.getVchannel().equals(v)).toList();
                assertEquals(1, ofChannel.stream().filter(s -> s.getState() == SegmentStateInternal.GROWING).count(),
                        "one growing segment on " + v);
                for (SegmentMeta s : ofChannel) {
                    assertEquals(v, channelOf.get(s.getId()), "every segment of " + v + " took rows");
                }
            }
        }
    }

    @Test
    void aRestartResumesTheGrowingSegmentsAndNeverReusesAnId() {
        long resumed;
        long otherChannel;
        CollectionInfo c;
        try (DataCoordFixture f = new DataCoordFixture(dir)) {
            c = f.createCollection("c", 2);
            resumed = f.dataCoord.assignSegment(c.getId(), partition(c), c.getVchannels(0), 5);
            otherChannel = f.dataCoord.assignSegment(c.getId(), partition(c), c.getVchannels(1), 5);
        }
        try (DataCoordFixture f = new DataCoordFixture(dir)) {
            assertEquals(resumed, f.dataCoord.assignSegment(c.getId(), partition(c), c.getVchannels(0), 5),
                    "the growing segment takes rows again after the restart");
            f.rootCoordImpl.createPartition(RootCoord.DEFAULT_DB, "c", "p2");
            long p2 = f.rootCoordImpl.describeCollection(RootCoord.DEFAULT_DB, "c").getPartitionsList().stream()
                    .filter(p -> p.getName().equals("p2")).findFirst().orElseThrow().getId();
            long fresh = f.dataCoord.assignSegment(c.getId(), p2, c.getVchannels(0), 5);
            // The first segment took the first ID of the range reserved before the restart.
            assertEquals(resumed + 1, otherChannel);
            assertTrue(fresh >= resumed + DataCoord.ID_RANGE,
                    "a new segment " + fresh + " reuses none of the IDs reserved before the restart");
        }
    }
}
