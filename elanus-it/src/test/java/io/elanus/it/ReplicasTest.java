package io.elanus.it;

import io.milvus.v2.service.collection.ReplicaInfo;
import io.milvus.v2.service.collection.ShardReplica;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.collection.request.DescribeReplicasReq;
import io.milvus.v2.service.collection.request.ReleaseCollectionReq;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DescribeReplicas: a loaded collection has one replica with a shard leader per shard; a released one has none. */
class ReplicasTest extends SharedServerTestBase {
    @Test
    void aLoadedCollectionReportsOneReplicaWithALeaderPerShard() {
        String name = uniqueName("replicas");
        client.createCollection(CreateCollectionReq.builder().collectionName(name).dimension(8).numShards(2).build());
        try {
            MilvusAssertions.awaitLoaded(client, name);
            List<ReplicaInfo> replicas = client.describeReplicas(DescribeReplicasReq.builder().collectionName(name).build()).getReplicas();
            assertEquals(1, replicas.size());
            List<ShardReplica> shards = replicas.get(0).getShardReplicas();
            assertEquals(2, shards.size(), "one shard leader per shard");
            shards.forEach(s -> assertTrue(replicas.get(0).getNodeIDs().contains(s.getLeaderID())));

            client.releaseCollection(ReleaseCollectionReq.builder().collectionName(name).build());
            assertTrue(client.describeReplicas(DescribeReplicasReq.builder().collectionName(name).build()).getReplicas().isEmpty());
        } finally {
            dropIfExists(name);
        }
    }
}
