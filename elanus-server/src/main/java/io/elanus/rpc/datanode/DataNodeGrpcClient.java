package io.elanus.rpc.datanode;

import io.elanus.api.DataNodeClient;

import io.elanus.rpc.RemoteStub;
import io.elanus.proto.DataNodeServiceGrpc;
import io.elanus.proto.FlushSegmentsRequest;
import io.grpc.ManagedChannel;

import java.time.Duration;
import java.util.List;

/**
 * A datanode in another process, through {@link DataNodeGrpcService}. Its id is known from where
 * the node was discovered (its session), so {@link #nodeId} costs no call. Failures are
 * {@link io.elanus.common.MilvusException}s; the channel belongs to the caller.
 */
public final class DataNodeGrpcClient implements DataNodeClient {
    private final long nodeId;
    private final RemoteStub<DataNodeServiceGrpc.DataNodeServiceBlockingStub> remote;

    /** @param deadline of each call */
    public DataNodeGrpcClient(long nodeId, ManagedChannel channel, Duration deadline) {
        this.nodeId = nodeId;
        this.remote = new RemoteStub<>(DataNodeServiceGrpc.newBlockingStub(channel), "datanode " + nodeId, deadline);
    }

    @Override
    public long nodeId() {
        return nodeId;
    }

    @Override
    public void flushSegments(String vchannel, List<Long> segmentIds, long flushTs) {
        remote.call(s -> s.flushSegments(FlushSegmentsRequest.newBuilder().setVchannel(vchannel)
                .addAllSegmentIds(segmentIds).setFlushTs(flushTs).build()));
    }
}
