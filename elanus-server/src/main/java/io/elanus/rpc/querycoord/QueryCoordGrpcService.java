package io.elanus.rpc.querycoord;

import io.elanus.api.QueryCoordClient;

import com.google.protobuf.Empty;
import com.google.protobuf.Int32Value;
import com.google.protobuf.Int64Value;
import io.elanus.rpc.RpcHandler;
import io.elanus.common.MilvusError;
import io.elanus.common.MilvusException;
import io.elanus.api.WalReaders;
import io.elanus.proto.CollectionIdRequest;
import io.elanus.proto.IdList;
import io.elanus.proto.LoadRequest;
import io.elanus.proto.PartitionIdsRequest;
import io.elanus.proto.PchannelRequest;
import io.elanus.proto.QueryCoordServiceGrpc;
import io.elanus.proto.ShardLeader;
import io.elanus.proto.ShardLeaderList;
import io.elanus.api.QueryNodeClient;
import io.grpc.stub.StreamObserver;

import java.util.Map;
import java.util.function.LongFunction;

/**
 * Serves a {@link QueryCoordClient} and its {@link WalReaders} (the querycoord of this process) to
 * proxies and the datacoord. Shard leaders go out as node id and address, which the caller
 * connects to itself.
 */
public final class QueryCoordGrpcService extends QueryCoordServiceGrpc.QueryCoordServiceImplBase {
    private final QueryCoordClient queryCoord;
    private final WalReaders walReaders;
    private final LongFunction<String> queryNodeAddress;

    /** @param queryNodeAddress where the query node of an id serves its QueryNodeService ({@code host:port}), null if unknown */
    public QueryCoordGrpcService(QueryCoordClient queryCoord, WalReaders walReaders, LongFunction<String> queryNodeAddress) {
        this.queryCoord = queryCoord;
        this.walReaders = walReaders;
        this.queryNodeAddress = queryNodeAddress;
    }

    @Override
    public void load(LoadRequest req, StreamObserver<Empty> out) {
        RpcHandler.run(out, () -> queryCoord.load(req.getCollectionId(), req.getPartitionIdsList(), req.getReplicas()));
    }

    @Override
    public void releaseCollection(CollectionIdRequest req, StreamObserver<Empty> out) {
        RpcHandler.run(out, () -> queryCoord.releaseCollection(req.getCollectionId()));
    }

    @Override
    public void releasePartitions(PartitionIdsRequest req, StreamObserver<Empty> out) {
        RpcHandler.run(out, () -> queryCoord.releasePartitions(req.getCollectionId(), req.getPartitionIdsList()));
    }

    @Override
    public void loadingProgress(PartitionIdsRequest req, StreamObserver<Int32Value> out) {
        RpcHandler.reply(out, () -> Int32Value.of(queryCoord.loadingProgress(req.getCollectionId(), req.getPartitionIdsList())));
    }

    @Override
    public void loadedPartitions(CollectionIdRequest req, StreamObserver<IdList> out) {
        RpcHandler.reply(out, () -> IdList.newBuilder().addAllIds(queryCoord.loadedPartitions(req.getCollectionId())).build());
    }

    @Override
    public void shardLeaders(CollectionIdRequest req, StreamObserver<ShardLeaderList> out) {
        RpcHandler.reply(out, () -> {
            ShardLeaderList.Builder b = ShardLeaderList.newBuilder();
            for (Map.Entry<String, QueryNodeClient> e : queryCoord.shardLeaders(req.getCollectionId()).entrySet()) {
                long nodeId = e.getValue().nodeId();
                String address = queryNodeAddress.apply(nodeId);
                if (address == null) {
                    throw new MilvusException(MilvusError.SERVICE_UNAVAILABLE,
                            "querynode " + nodeId + " serving " + e.getKey() + " has no known address: " + MilvusError.SERVICE_UNAVAILABLE.message);
                }
                b.addLeaders(ShardLeader.newBuilder().setVchannel(e.getKey()).setNodeId(nodeId).setAddress(address));
            }
            return b.build();
        });
    }

    @Override
    public void minReaderOffset(PchannelRequest req, StreamObserver<Int64Value> out) {
        RpcHandler.reply(out, () -> Int64Value.of(walReaders.minReaderOffset(req.getPchannel())));
    }
}
