package io.elanus.querycoord;

import io.elanus.api.QueryCoordClient;
import io.elanus.rpc.querycoord.QueryCoordGrpcClient;
import io.elanus.rpc.querycoord.QueryCoordGrpcService;

import io.elanus.rpc.ChannelPool;
import io.elanus.rpc.RpcServer;
import io.elanus.common.MilvusError;
import io.elanus.common.MilvusException;
import io.elanus.api.WalReaders;
import io.elanus.proto.CollectionInfo;
import io.elanus.proto.SegmentMeta;
import io.elanus.api.Hit;
import io.elanus.api.QueryNodeClient;
import io.elanus.rpc.querynode.QueryNodeGrpcClient;
import io.elanus.rpc.querynode.QueryNodeGrpcService;
import io.elanus.api.QuerySpec;
import io.elanus.api.SearchSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Every querycoord call made through loopback gRPC reaches the querycoord with its arguments and
 * returns its answer; shard leaders come back as clients of the serving query nodes, connected
 * through the caller's channel pool; the WAL readers' offset is served too.
 */
class QueryCoordGrpcTest {
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final Map<Long, String> queryNodeAddresses = new HashMap<>();
    private RpcServer node5;
    private RpcServer node6;
    private RpcServer server;
    private ChannelPool channels;
    private QueryCoordGrpcClient client;

    @BeforeEach
    void start() throws IOException {
        node5 = RpcServer.start(0, List.of(new QueryNodeGrpcService(new TsafeNode(5))));
        node6 = RpcServer.start(0, List.of(new QueryNodeGrpcService(new TsafeNode(6))));
        queryNodeAddresses.put(5L, "localhost:" + node5.port());
        queryNodeAddresses.put(6L, "localhost:" + node6.port());
        WalReaders readers = pchannel -> {
            calls.add("minReaderOffset " + pchannel);
            return 314;
        };
        server = RpcServer.start(0, List.of(new QueryCoordGrpcService(new FakeQueryCoord(), readers, queryNodeAddresses::get)));
        channels = new ChannelPool();
        client = new QueryCoordGrpcClient(channels.channel("localhost:" + server.port()), channels, Duration.ofSeconds(30));
    }

    @AfterEach
    void stop() {
        channels.close();
        server.close();
        node5.close();
        node6.close();
    }

    @Test
    void everyCallReachesTheQueryCoordAndReturnsItsAnswer() {
        client.load(1, List.of(10L, 11L), 2);
        client.releasePartitions(1, List.of(11L));
        assertEquals(50, client.loadingProgress(1, List.of(10L)));
        assertEquals(List.of(10L), client.loadedPartitions(1));
        client.releaseCollection(1);
        assertEquals(314, client.minReaderOffset("p0"));
        assertEquals(List.of("load 1 [10, 11] 2", "releasePartitions 1 [11]", "loadingProgress 1 [10]", "loadedPartitions 1",
                "releaseCollection 1", "minReaderOffset p0"), calls);
        MilvusException e = assertThrows(MilvusException.class, () -> client.load(-1, List.of(), 1));
        assertEquals(MilvusError.COLLECTION_NOT_FOUND, e.kind());
        assertEquals("collection not found[collection=-1]", e.getMessage());
    }

    @Test
    void shardLeadersAreClientsOfTheServingNodesThroughThePool() {
        Map<String, QueryNodeClient> leaders = client.shardLeaders(1);
        assertEquals(Map.of("v0", 5L, "v1", 6L), Map.of("v0", leaders.get("v0").nodeId(), "v1", leaders.get("v1").nodeId()));
        assertInstanceOf(QueryNodeGrpcClient.class, leaders.get("v0"));
        assertEquals(500, leaders.get("v0").tsafe("v0"), "the call reaches node 5");
        assertEquals(600, leaders.get("v1").tsafe("v1"), "the call reaches node 6");
        assertSame(channels.channel(queryNodeAddresses.get(5L)), channels.channel(queryNodeAddresses.get(5L)));

        queryNodeAddresses.remove(6L);
        MilvusException e = assertThrows(MilvusException.class, () -> client.shardLeaders(1));
        assertEquals(MilvusError.SERVICE_UNAVAILABLE, e.kind());
    }

    /** Records each call; collection -1 does not exist; shard v0 is served by node 5, v1 by node 6. */
    private final class FakeQueryCoord implements QueryCoordClient {
        @Override
        public void load(long collectionId, List<Long> partitionIds, int replicas) {
            if (collectionId < 0) {
                throw MilvusException.withKey(MilvusError.COLLECTION_NOT_FOUND, "collection", collectionId);
            }
            calls.add("load " + collectionId + " " + partitionIds + " " + replicas);
        }

        @Override
        public void releaseCollection(long collectionId) {
            calls.add("releaseCollection " + collectionId);
        }

        @Override
        public void releasePartitions(long collectionId, List<Long> partitionIds) {
            calls.add("releasePartitions " + collectionId + " " + partitionIds);
        }

        @Override
        public int loadingProgress(long collectionId, List<Long> partitionIds) {
            calls.add("loadingProgress " + collectionId + " " + partitionIds);
            return 50;
        }

        @Override
        public List<Long> loadedPartitions(long collectionId) {
            calls.add("loadedPartitions " + collectionId);
            return List.of(10L);
        }

        @Override
        public Map<String, QueryNodeClient> shardLeaders(long collectionId) {
            return Map.of("v0", new TsafeNode(5), "v1", new TsafeNode(6));
        }
    }

    /** A query node that only knows its id and answers tsafe with id x 100. */
    private record TsafeNode(long nodeId) implements QueryNodeClient {
        @Override
        public long tsafe(String vchannel) {
            return nodeId * 100;
        }

        @Override
        public void watchChannel(CollectionInfo collection, String vchannel, long startOffset, Collection<SegmentMeta> flushed) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void onSegmentFlushed(SegmentMeta segment) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void releaseCollection(long collectionId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void releaseChannel(String vchannel) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void loadIndex(long collectionId, long segmentId, long fieldId, String objectKey) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long walPosition(String vchannel) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<List<Hit>> search(String vchannel, SearchSpec spec, long timeoutMs) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Hit> query(String vchannel, QuerySpec spec, long timeoutMs) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long count(String vchannel, QuerySpec spec, long timeoutMs) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<Long, Long> loadedSegments(long collectionId) {
            throw new UnsupportedOperationException();
        }
    }
}
