package io.elanus.rpc.querycoord;

import io.elanus.api.QueryCoordClient;

import io.elanus.rpc.ChannelPool;
import io.elanus.rpc.RemoteStub;
import io.elanus.api.WalReaders;
import io.elanus.proto.CollectionIdRequest;
import io.elanus.proto.LoadRequest;
import io.elanus.proto.PartitionIdsRequest;
import io.elanus.proto.PchannelRequest;
import io.elanus.proto.QueryCoordServiceGrpc;
import io.elanus.proto.ShardLeader;
import io.elanus.api.QueryNodeClient;
import io.elanus.rpc.querynode.QueryNodeGrpcClient;
import io.grpc.ManagedChannel;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A querycoord in another process, through {@link QueryCoordGrpcService}; for the datacoord also
 * its {@link WalReaders}. Shard leaders are reached through {@code queryNodes}, the caller's pool
 * of channels by address. Failures are {@link io.elanus.common.MilvusException}s; the channels
 * belong to the caller.
 */
public final class QueryCoordGrpcClient implements QueryCoordClient, WalReaders {
    private final RemoteStub<QueryCoordServiceGrpc.QueryCoordServiceBlockingStub> remote;
    private final ChannelPool queryNodes;

    /** @param deadline of each call, and of the calls to the shard leaders it returns */
    public QueryCoordGrpcClient(ManagedChannel channel, ChannelPool queryNodes, Duration deadline) {
        this.remote = new RemoteStub<>(QueryCoordServiceGrpc.newBlockingStub(channel), "querycoord", deadline);
        this.queryNodes = queryNodes;
    }

    @Override
    public void load(long collectionId, List<Long> partitionIds, int replicas) {
        remote.call(s -> s.load(LoadRequest.newBuilder().setCollectionId(collectionId).addAllPartitionIds(partitionIds)
                .setReplicas(replicas).build()));
    }

    @Override
    public void releaseCollection(long collectionId) {
        remote.call(s -> s.releaseCollection(collection(collectionId)));
    }

    @Override
    public void releasePartitions(long collectionId, List<Long> partitionIds) {
        remote.call(s -> s.releasePartitions(partitions(collectionId, partitionIds)));
    }

    @Override
    public int loadingProgress(long collectionId, List<Long> partitionIds) {
        return remote.call(s -> s.loadingProgress(partitions(collectionId, partitionIds))).getValue();
    }

    @Override
    public List<Long> loadedPartitions(long collectionId) {
        return remote.call(s -> s.loadedPartitions(collection(collectionId))).getIdsList();
    }

    @Override
    public Map<String, QueryNodeClient> shardLeaders(long collectionId) {
        Map<String, QueryNodeClient> out = new HashMap<>();
        for (ShardLeader l : remote.call(s -> s.shardLeaders(collection(collectionId))).getLeadersList()) {
            out.put(l.getVchannel(), new QueryNodeGrpcClient(l.getNodeId(), queryNodes.channel(l.getAddress()), remote.deadline()));
        }
        return out;
    }

    @Override
    public long minReaderOffset(String pchannel) {
        return remote.call(s -> s.minReaderOffset(PchannelRequest.newBuilder().setPchannel(pchannel).build())).getValue();
    }

    private static CollectionIdRequest collection(long id) {
        return CollectionIdRequest.newBuilder().setCollectionId(id).build();
    }

    private static PartitionIdsRequest partitions(long collectionId, List<Long> partitionIds) {
        return PartitionIdsRequest.newBuilder().setCollectionId(collectionId).addAllPartitionIds(partitionIds).build();
    }
}
