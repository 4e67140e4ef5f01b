package io.elanus.datacoord;

import io.elanus.api.DataCoordClient;
import io.elanus.api.SegmentListener;
import io.elanus.rpc.datacoord.DataCoordGrpcClient;
import io.elanus.rpc.datacoord.DataCoordGrpcService;

import io.elanus.rpc.ChannelPool;
import io.elanus.rpc.RpcServer;
import io.elanus.common.MilvusError;
import io.elanus.common.MilvusException;
import io.elanus.proto.IndexMeta;
import io.elanus.proto.SegmentIndexMeta;
import io.elanus.proto.SegmentMeta;
import io.elanus.proto.WalPositionPb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every datacoord call made through loopback gRPC reaches the datacoord with its arguments and
 * returns its answer; failures keep their Milvus kind and message; segment listeners in another
 * process get the datacoord's events in order, each handled before the datacoord's call returns.
 */
class DataCoordGrpcTest {
    private static final SegmentMeta SEGMENT = SegmentMeta.newBuilder().setId(7).setCollectionId(1).setVchannel("v").setNumRows(3).build();
    private static final IndexMeta INDEX = IndexMeta.newBuilder().setIndexId(9).setCollectionId(1).setFieldId(101).setIndexName("i").build();
    private static final SegmentIndexMeta SEGMENT_INDEX = SegmentIndexMeta.newBuilder().setSegmentId(7).setIndexId(9).addFiles("f").build();
    private static final WalPositionPb POSITION = WalPositionPb.newBuilder().setChannel("p").setOffset(42).setTimestamp(99).build();

    private final FakeDataCoord dataCoord = new FakeDataCoord();
    private RpcServer server;
    private ChannelPool channels;
    private DataCoordGrpcClient client;

    @BeforeEach
    void start() throws IOException {
        server = RpcServer.start(0, List.of(new DataCoordGrpcService(dataCoord)));
        channels = new ChannelPool();
        client = new DataCoordGrpcClient(channels.channel("localhost:" + server.port()), Duration.ofSeconds(30));
    }

    @AfterEach
    void stop() {
        client.close();
        channels.close();
        server.close();
    }

    @Test
    void everyCallReachesTheDataCoordAndReturnsItsAnswer() {
        assertEquals(11, client.assignSegment(1, 2, "v", 10));
        assertEquals(new DataCoordClient.FlushResult(List.of(7L, 8L), 1234), client.flush(1));
        assertTrue(client.flushed(1, List.of(7L), 1234));
        assertEquals(List.of(SEGMENT), client.segments(1));
        assertEquals(Optional.of(SEGMENT), client.segment(7));
        assertEquals(Optional.empty(), client.segment(8));
        assertEquals(5, client.bufferedRows(7));
        assertEquals(POSITION, client.channelCheckpoint("v"));
        client.saveFlushResult("v", List.of(SEGMENT), POSITION);
        client.reportBufferedRows(new TreeMap<>(Map.of(7L, 3L, 8L, 4L)));
        client.reportChannelFault("v", "bad message");
        client.createIndex(INDEX);
        assertEquals(List.of(INDEX), client.indexes(1));
        client.dropIndex(1, 9);
        assertEquals(List.of(SEGMENT_INDEX), client.segmentIndexes(1));
        client.saveSegmentIndex(SEGMENT_INDEX);
        assertEquals(List.of("assignSegment 1 2 v 10", "flush 1", "flushed 1 [7] 1234", "segments 1", "segment 7", "segment 8",
                "bufferedRows 7", "channelCheckpoint v", "saveFlushResult v [7] 42", "reportBufferedRows {7=3, 8=4}",
                "reportChannelFault v bad message", "createIndex 9",
                "indexes 1", "dropIndex 1 9", "segmentIndexes 1", "saveSegmentIndex 7/9"), dataCoord.calls);
    }

    @Test
    void failuresArriveAsTheSameMilvusException() {
        MilvusException e = assertThrows(MilvusException.class, () -> client.flush(-1));
        assertEquals(MilvusError.COLLECTION_NOT_FOUND, e.kind());
        assertEquals("collection not found[collection=-1]", e.getMessage());
        MilvusException internal = assertThrows(MilvusException.class, () -> client.segments(-1));
        assertEquals(MilvusError.SERVICE_INTERNAL, internal.kind());
        // The role's own words in Milvus's form, without the Java exception class (the role logs the stack trace).
        assertEquals("bad collection -1: service internal error", internal.getMessage());
    }

    @Test
    void segmentListenersGetEveryEventInOrderBeforeTheDataCoordMovesOn() throws Exception {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        client.addSegmentListener(new SegmentListener() {
            @Override
            public void onSegmentFlushed(SegmentMeta segment) {
                seen.add("flushed " + segment.getId());
            }

            @Override
            public void onSegmentIndexBuilt(SegmentIndexMeta index) {
                seen.add("built " + index.getSegmentId());
            }

            @Override
            public void onIndexCreated(IndexMeta index) {
                seen.add("index " + index.getIndexId());
            }
        });
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            dataCoord.listener().onSegmentFlushed(SEGMENT.toBuilder().setId(i).build());
            expected.add("flushed " + i);
            assertEquals(expected, seen, "the event was handled when the datacoord's listener call returned");
        }
        dataCoord.listener().onIndexCreated(INDEX);
        dataCoord.listener().onSegmentIndexBuilt(SEGMENT_INDEX);
        expected.addAll(List.of("index 9", "built 7"));
        assertEquals(expected, seen);

        // Events raised concurrently by several datacoord threads are each delivered once.
        seen.clear();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                long id = i;
                done.add(threads.submit(() -> dataCoord.listener().onSegmentFlushed(SEGMENT.toBuilder().setId(id).build())));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            threads.shutdown();
        }
        assertEquals(40, seen.size());
        assertEquals(40, seen.stream().distinct().count());
    }

    @Test
    void aListenerFailureIsThrownAtTheDataCoord() {
        client.addSegmentListener(segment -> {
            throw new MilvusException(MilvusError.SEGMENT_NOT_FOUND, "segment " + segment.getId() + " unknown here");
        });
        MilvusException e = assertThrows(MilvusException.class, () -> dataCoord.listener().onSegmentFlushed(SEGMENT));
        assertEquals(MilvusError.SEGMENT_NOT_FOUND, e.kind());
        assertEquals("segment 7 unknown here", e.getMessage());
    }

    @Test
    void aClosedSubscriptionNoLongerHoldsTheDataCoordUp() {
        List<Long> seen = new CopyOnWriteArrayList<>();
        try (DataCoordGrpcClient other = new DataCoordGrpcClient(channels.channel("localhost:" + server.port()), Duration.ofSeconds(30))) {
            other.addSegmentListener(segment -> seen.add(segment.getId()));
            dataCoord.listener().onSegmentFlushed(SEGMENT);
        }
        dataCoord.listener().onSegmentFlushed(SEGMENT.toBuilder().setId(8).build());
        assertEquals(List.of(7L), seen);
    }

    /** Records each call with its arguments and answers with fixed values; collection -1 fails. */
    private static final class FakeDataCoord implements DataCoordClient {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<SegmentListener> listeners = new CopyOnWriteArrayList<>();

        SegmentListener listener() {
            return listeners.getFirst();
        }

        @Override
        public long assignSegment(long collectionId, long partitionId, String vchannel, int rows) {
            calls.add("assignSegment " + collectionId + " " + partitionId + " " + vchannel + " " + rows);
            return 11;
        }

        @Override
        public FlushResult flush(long collectionId) {
            if (collectionId < 0) {
                throw MilvusException.withKey(MilvusError.COLLECTION_NOT_FOUND, "collection", collectionId);
            }
            calls.add("flush " + collectionId);
            return new FlushResult(List.of(7L, 8L), 1234);
        }

        @Override
        public boolean flushed(long collectionId, List<Long> segmentIds, long flushTs) {
            calls.add("flushed " + collectionId + " " + segmentIds + " " + flushTs);
            return true;
        }

        @Override
        public List<SegmentMeta> segments(long collectionId) {
            if (collectionId < 0) {
                throw new IllegalStateException("bad collection " + collectionId);
            }
            calls.add("segments " + collectionId);
            return List.of(SEGMENT);
        }

        @Override
        public Optional<SegmentMeta> segment(long segmentId) {
            calls.add("segment " + segmentId);
            return segmentId == SEGMENT.getId() ? Optional.of(SEGMENT) : Optional.empty();
        }

        @Override
        public long bufferedRows(long segmentId) {
            calls.add("bufferedRows " + segmentId);
            return 5;
        }

        @Override
        public WalPositionPb channelCheckpoint(String vchannel) {
            calls.add("channelCheckpoint " + vchannel);
            return POSITION;
        }

        @Override
        public void saveFlushResult(String vchannel, List<SegmentMeta> flushedSegments, WalPositionPb checkpoint) {
            calls.add("saveFlushResult " + vchannel + " " + flushedSegments.stream().map(SegmentMeta::getId).toList() + " " + checkpoint.getOffset());
        }

        @Override
        public void reportBufferedRows(Map<Long, Long> rowsBySegment) {
            calls.add("reportBufferedRows " + new TreeMap<>(rowsBySegment));
        }

        @Override
        public void reportChannelFault(String vchannel, String reason) {
            calls.add("reportChannelFault " + vchannel + " " + reason);
        }

        @Override
        public void createIndex(IndexMeta index) {
            calls.add("createIndex " + index.getIndexId());
        }

        @Override
        public List<IndexMeta> indexes(long collectionId) {
            calls.add("indexes " + collectionId);
            return List.of(INDEX);
        }

        @Override
        public void dropIndex(long collectionId, long indexId) {
            calls.add("dropIndex " + collectionId + " " + indexId);
        }

        @Override
        public List<SegmentIndexMeta> segmentIndexes(long collectionId) {
            calls.add("segmentIndexes " + collectionId);
            return List.of(SEGMENT_INDEX);
        }

        @Override
        public void saveSegmentIndex(SegmentIndexMeta segmentIndex) {
            calls.add("saveSegmentIndex " + segmentIndex.getSegmentId() + "/" + segmentIndex.getIndexId());
        }

        @Override
        public void addSegmentListener(SegmentListener listener) {
            listeners.add(listener);
        }
    }
}
