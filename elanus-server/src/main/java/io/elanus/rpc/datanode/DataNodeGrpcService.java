package io.elanus.rpc.datanode;

import io.elanus.api.DataNodeClient;

import com.google.protobuf.Empty;
import io.elanus.rpc.RpcHandler;
import io.elanus.proto.DataNodeServiceGrpc;
import io.elanus.proto.FlushSegmentsRequest;
import io.grpc.stub.StreamObserver;

/** Serves a {@link DataNodeClient} (the datanode of this process) to the datacoord. */
public final class DataNodeGrpcService extends DataNodeServiceGrpc.DataNodeServiceImplBase {
    private final DataNodeClient dataNode;

    public DataNodeGrpcService(DataNodeClient dataNode) {
        this.dataNode = dataNode;
    }

    @Override
    public void flushSegments(FlushSegmentsRequest req, StreamObserver<Empty> out) {
        RpcHandler.run(out, () -> dataNode.flushSegments(req.getVchannel(), req.getSegmentIdsList(), req.getFlushTs()));
    }
}
