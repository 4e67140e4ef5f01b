package io.elanus.it;

import com.google.gson.JsonObject;
import io.elanus.testkit.Seed;
import io.elanus.testkit.Seeds;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.common.DataType;
import io.milvus.v2.common.IndexParam;
import io.milvus.v2.service.collection.request.AddFieldReq;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.collection.request.DescribeReplicasReq;
import io.milvus.v2.service.collection.request.LoadCollectionReq;
import io.milvus.v2.service.index.request.CreateIndexReq;
import io.milvus.v2.service.utility.request.FlushReq;
import io.milvus.v2.service.vector.request.DeleteReq;
import io.milvus.v2.service.vector.request.InsertReq;
import io.milvus.v2.service.vector.request.QueryReq;
import io.milvus.v2.service.vector.request.SearchReq;
import io.milvus.v2.service.vector.request.data.FloatVec;
import io.milvus.v2.service.vector.response.QueryResp;
import io.milvus.v2.service.vector.response.SearchResp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.elanus.it.MilvusAssertions.assertExactTopK;
import static io.elanus.it.MilvusAssertions.awaitLoaded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cluster mode end to end: every role its own JVM (two datanodes, two query nodes, two proxies) on
 * etcd, Kafka and S3, driven through the official SDK; then one datanode and one query node are killed with SIGKILL
 * during ingest and search. No acknowledged row may be lost or duplicated, and searches must be
 * served again within 30 s (the bound; sessions expire after 5 s here). A query node that
 * joins afterwards takes over channels from the survivor.
 */
@ExtendWith(Seeds.class)
class ClusterFailoverTest {
    private static final String COLLECTION = "cluster_failover";
    private static final int DIM = 8;
    private static final int INITIAL_ROWS = 2_000;
    private static final int DELETED = 100;
    private static final int BATCH = 100;
    private static final long FAILOVER_ID_BASE = 1_000_000L;
    private static final long SEARCH_RECOVERY_LIMIT_MS = 30_000;
    private static final long FLUSH_WAIT_MS = 120_000;

    @Test
    void everyRoleInItsOwnProcessSurvivesLosingADatanodeAndAQueryNode(Seed seed) throws Exception {
        try (LocalCluster cluster = LocalCluster.startBackends()) {
            for (String role : List.of("rootcoord", "datacoord", "querycoord")) {
                cluster.startRole(role);
            }
            List<LocalCluster.Role> dataNodes = List.of(cluster.startRole("datanode"), cluster.startRole("datanode"));
            List<LocalCluster.Role> queryNodes = List.of(cluster.startRole("querynode"), cluster.startRole("querynode"));
            cluster.startRole("indexnode");
            cluster.startRole("proxy");
            String secondProxy = cluster.startExtraProxy();

            MilvusClientV2 client = new MilvusClientV2(ConnectConfig.builder().uri(cluster.proxyUri()).rpcDeadlineMs(60_000).build());
            Random random = seed.random(42);
            float[][] vectors = Vectors.randomFloats(random, INITIAL_ROWS, DIM);
            createLoadedCollection(client, vectors);

            float[][] queries = Vectors.randomFloats(random, 5, DIM);
            assertExactSearch(client, queries, vectors, 0);
            assertEquals(INITIAL_ROWS, count(client, ""));
            client.delete(DeleteReq.builder().collectionName(COLLECTION).filter("id < " + DELETED).build());
            assertEquals(INITIAL_ROWS - DELETED, count(client, ""));

            // Ingest continuously, then lose one datanode and one query node mid-stream.
            List<Long> acknowledged = Collections.synchronizedList(new ArrayList<>());
            List<Long> uncertain = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean stop = new AtomicBoolean();
            // The writes go through the second proxy, the reads through the first: both tick the channels via rootcoord.
            Thread writer = Thread.ofPlatform().name("cluster-writer").start(() -> ingest(secondProxy, acknowledged, uncertain, stop));
            MilvusAssertions.sleep(2_000);
            dataNodes.get(0).process().kill9();
            queryNodes.get(0).process().kill9();
            long killedAt = System.nanoTime();
            // A flush asked right after the kill completes once the dead datanode's channels have moved.
            long[] flushedMs = {-1};
            Thread flusher = Thread.ofPlatform().name("cluster-flusher").start(() -> {
                client.flush(FlushReq.builder().collectionNames(List.of(COLLECTION)).waitFlushedTimeoutMs(FLUSH_WAIT_MS).build());
                flushedMs[0] = (System.nanoTime() - killedAt) / 1_000_000;
            });
            long recoveredMs = awaitSearchServed(client, queries[0], killedAt);
            assertTrue(recoveredMs <= SEARCH_RECOVERY_LIMIT_MS, "searches were served again only after " + recoveredMs + " ms");
            MilvusAssertions.sleep(2_000);
            stop.set(true);
            writer.join(60_000);
            flusher.join(120_000);
            assertTrue(flushedMs[0] >= 0, "the flush asked during the failover did not complete");
            assertTrue(acknowledged.size() > 0, "no batch was acknowledged during the failover");

            // The surviving datanode persists the dead one's channels: the flush completes.
            client.flush(FlushReq.builder().collectionNames(List.of(COLLECTION)).waitFlushedTimeoutMs(FLUSH_WAIT_MS).build());
            List<QueryResp.QueryResult> written = client.query(QueryReq.builder().collectionName(COLLECTION)
                    .filter("id >= " + FAILOVER_ID_BASE).outputFields(List.of("id")).limit(16_384)
                    .consistencyLevel(ConsistencyLevel.STRONG).build()).getQueryResults();
            Set<Long> distinct = new HashSet<>();
            written.forEach(r -> distinct.add((Long) r.getEntity().get("id")));
            assertEquals(written.size(), distinct.size(), "a row is duplicated");
            assertTrue(distinct.containsAll(acknowledged), "acknowledged rows were lost");
            Set<Long> sent = new HashSet<>(acknowledged);
            sent.addAll(uncertain);
            assertTrue(sent.containsAll(distinct), "rows that were never sent are present");
            assertEquals(INITIAL_ROWS - DELETED + distinct.size(), count(client, ""));
            assertExactSearch(client, queries, vectors, DELETED);
            assertEquals(1, shardLeaders(client).size(), "both channels are on the surviving query node");

            // A query node that joins takes over one of the survivor's two channels; results stay exact.
            cluster.startRole("querynode");
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (shardLeaders(client).size() < 2 && System.nanoTime() < deadline) {
                MilvusAssertions.sleep(250);
            }
            assertEquals(2, shardLeaders(client).size(), "a joining query node took a channel");
            assertExactSearch(client, queries, vectors, DELETED);
            System.out.println("cluster failover: searches served again " + recoveredMs + " ms after kill -9 of a datanode and a query node;"
                    + " a flush asked at the kill completed after " + flushedMs[0] + " ms; " + acknowledged.size()
                    + " rows acknowledged during the failover, none lost or duplicated");
            client.close();
        }
    }

    private static void createLoadedCollection(MilvusClientV2 client, float[][] vectors) {
        CreateCollectionReq.CollectionSchema schema = CreateCollectionReq.CollectionSchema.builder().build();
        schema.addField(AddFieldReq.builder().fieldName("id").dataType(DataType.Int64).isPrimaryKey(true).build());
        schema.addField(AddFieldReq.builder().fieldName("vec").dataType(DataType.FloatVector).dimension(DIM).build());
        client.createCollection(CreateCollectionReq.builder().collectionName(COLLECTION).collectionSchema(schema)
                .numShards(2).consistencyLevel(ConsistencyLevel.STRONG).build());
        for (int start = 0; start < vectors.length; start += 500) {
            List<JsonObject> rows = new ArrayList<>();
            for (int i = start; i < Math.min(vectors.length, start + 500); i++) {
                rows.add(row(i, vectors[i]));
            }
            client.insert(InsertReq.builder().collectionName(COLLECTION).data(rows).build());
        }
        client.flush(FlushReq.builder().collectionNames(List.of(COLLECTION)).waitFlushedTimeoutMs(FLUSH_WAIT_MS).build());
        // IVF_FLAT probing every list is exhaustive, so results must equal brute force.
        client.createIndex(CreateIndexReq.builder().collectionName(COLLECTION).indexParams(List.of(IndexParam.builder()
                .fieldName("vec").indexType(IndexParam.IndexType.IVF_FLAT).metricType(IndexParam.MetricType.L2)
                .extraParams(Map.of("nlist", 16)).build())).build());
        client.loadCollection(LoadCollectionReq.builder().collectionName(COLLECTION).build());
        awaitLoaded(client, COLLECTION);
    }

    private static JsonObject row(long id, float[] vector) {
        JsonObject row = new JsonObject();
        row.addProperty("id", id);
        row.add("vec", SharedServerTestBase.jsonVector(vector));
        return row;
    }

    /** Strong searches over the initial rows equal brute force; the first {@code deleted} ids are gone. */
    private static void assertExactSearch(MilvusClientV2 client, float[][] queries, float[][] vectors, int deleted) {
        List<SearchResp.SearchResult> hits;
        for (float[] q : queries) {
            SearchResp resp = client.search(SearchReq.builder().collectionName(COLLECTION).annsField("vec")
                    .data(List.of(new FloatVec(q))).limit(10).filter("id < " + INITIAL_ROWS)
                    .searchParams(Map.of("nprobe", 16)).consistencyLevel(ConsistencyLevel.STRONG).build());
            hits = resp.getSearchResults().getFirst();
            double[] scores = Vectors.scoresAgainst(Vectors.Metric.L2, q, vectors);
            for (int i = 0; i < deleted; i++) {
                scores[i] = Double.POSITIVE_INFINITY;
            }
            assertExactTopK(hits, scores, Vectors.Metric.L2, 0, 10, id -> (int) (long) (Long) id);
        }
    }

    /** The query nodes leading the collection's shards. */
    private static Set<Long> shardLeaders(MilvusClientV2 client) {
        Set<Long> leaders = new HashSet<>();
        client.describeReplicas(DescribeReplicasReq.builder().collectionName(COLLECTION).build()).getReplicas()
                .forEach(r -> r.getShardReplicas().forEach(s -> leaders.add(s.getLeaderID())));
        return leaders;
    }

    private static long count(MilvusClientV2 client, String filter) {
        QueryResp resp = client.query(QueryReq.builder().collectionName(COLLECTION).filter(filter)
                .outputFields(List.of("count(*)")).consistencyLevel(ConsistencyLevel.STRONG).build());
        return (Long) resp.getQueryResults().getFirst().getEntity().get("count(*)");
    }

    /** Milliseconds from the kill until a strong search succeeds (searches are tried every 250 ms). */
    private static long awaitSearchServed(MilvusClientV2 client, float[] query, long killedAt) {
        long deadline = killedAt + 120_000_000_000L;
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                client.search(SearchReq.builder().collectionName(COLLECTION).annsField("vec").data(List.of(new FloatVec(query)))
                        .limit(10).searchParams(Map.of("nprobe", 16)).consistencyLevel(ConsistencyLevel.STRONG).build());
                return (System.nanoTime() - killedAt) / 1_000_000;
            } catch (RuntimeException e) {
                last = e;
            }
            MilvusAssertions.sleep(250);
        }
        throw new AssertionError("searches were not served again within 120 s of the kill", last);
    }

    private static void ingest(String proxyUri, List<Long> acknowledged, List<Long> uncertain, AtomicBoolean stop) {
        MilvusClientV2 writer = new MilvusClientV2(ConnectConfig.builder().uri(proxyUri).rpcDeadlineMs(30_000).build());
        Random random = Seeds.current().random(7);
        long next = FAILOVER_ID_BASE;
        while (!stop.get()) {
            List<JsonObject> rows = new ArrayList<>();
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                ids.add(next);
                rows.add(row(next++, Vectors.randomFloats(random, 1, DIM)[0]));
            }
            try {
                writer.insert(InsertReq.builder().collectionName(COLLECTION).data(rows).build());
                acknowledged.addAll(ids);
            } catch (RuntimeException e) {
                // Not acknowledged, so it may or may not be stored: only acknowledged rows are checked.
                uncertain.addAll(ids);
            }
            MilvusAssertions.sleep(50);
        }
        writer.close();
    }
}
