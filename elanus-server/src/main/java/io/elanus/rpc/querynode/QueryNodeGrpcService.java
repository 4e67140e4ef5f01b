package io.elanus.rpc.querynode;

import io.elanus.api.Hit;
import io.elanus.api.QueryNodeClient;
import io.elanus.api.QuerySpec;
import io.elanus.api.SearchSpec;

import com.google.protobuf.Empty;
import com.google.protobuf.Int64Value;
import io.elanus.rpc.RpcHandler;
import io.elanus.proto.CollectionIdRequest;
import io.elanus.proto.LoadIndexRequest;
import io.elanus.proto.LoadedSegmentRows;
import io.elanus.proto.QueryNodeServiceGrpc;
import io.elanus.proto.SegmentMeta;
import io.elanus.proto.ShardHits;
import io.elanus.proto.ShardQueryRequest;
import io.elanus.proto.ShardSearchRequest;
import io.elanus.proto.ShardSearchResponse;
import io.elanus.proto.VchannelRequest;
import io.elanus.proto.WatchChannelRequest;
import io.grpc.stub.StreamObserver;

/**
 * Serves a {@link QueryNodeClient} (the query node of this process) to querycoord and proxies: a
 * thin adapter that turns requests into the same calls and specs an in-process caller makes, and
 * results into their wire form. It keeps no state; the node itself compiles filters and answers
 * for channels it does not serve.
 */
public final class QueryNodeGrpcService extends QueryNodeServiceGrpc.QueryNodeServiceImplBase {
    private final QueryNodeClient node;

    public QueryNodeGrpcService(QueryNodeClient node) {
        this.node = node;
    }

    @Override
    public void watchChannel(WatchChannelRequest req, StreamObserver<Empty> out) {
        RpcHandler.run(out, () -> node.watchChannel(req.getCollection(), req.getVchannel(), req.getStartOffset(),
                req.getFlushedList()));
    }

    @Override
    public void segmentFlushed(SegmentMeta req, StreamObserver<Empty> out) {
        RpcHandler.run(out, () -> node.onSegmentFlushed(req));
    }

    @Override
    public void releaseCollection(CollectionIdRequest req, StreamObserver<Empty> out) {
        RpcHandler.run(out, () -> node.releaseCollection(req.getCollectionId()));
    }

    @Override
    public void releaseChannel(VchannelRequest req, StreamObserver<Empty> out) {
        RpcHandler.run(out, () -> node.releaseChannel(req.getVchannel()));
    }

    @Override
    public void loadIndex(LoadIndexRequest req, StreamObserver<Empty> out) {
        RpcHandler.run(out, () -> node.loadIndex(req.getCollectionId(), req.getSegmentId(), req.getFieldId(), req.getObjectKey()));
    }

    @Override
    public void walPosition(VchannelRequest req, StreamObserver<Int64Value> out) {
        RpcHandler.reply(out, () -> Int64Value.of(node.walPosition(req.getVchannel())));
    }

    @Override
    public void tsafe(VchannelRequest req, StreamObserver<Int64Value> out) {
        RpcHandler.reply(out, () -> Int64Value.of(node.tsafe(req.getVchannel())));
    }

    @Override
    public void search(ShardSearchRequest req, StreamObserver<ShardSearchResponse> out) {
        RpcHandler.reply(out, () -> {
            SearchSpec spec = ShardRequests.toSpec(req);
            return ShardHitsCodec.encodeSearch(node.search(req.getVchannel(), spec, req.getTimeoutMs()), spec.outputFieldIds());
        });
    }

    @Override
    public void query(ShardQueryRequest req, StreamObserver<ShardHits> out) {
        RpcHandler.reply(out, () -> {
            QuerySpec spec = ShardRequests.toSpec(req);
            return ShardHitsCodec.encode(node.query(req.getVchannel(), spec, req.getTimeoutMs()), spec.outputFieldIds());
        });
    }

    @Override
    public void count(ShardQueryRequest req, StreamObserver<Int64Value> out) {
        RpcHandler.reply(out, () -> Int64Value.of(node.count(req.getVchannel(), ShardRequests.toSpec(req), req.getTimeoutMs())));
    }

    @Override
    public void loadedSegments(CollectionIdRequest req, StreamObserver<LoadedSegmentRows> out) {
        RpcHandler.reply(out, () -> LoadedSegmentRows.newBuilder().putAllRowsBySegment(node.loadedSegments(req.getCollectionId())).build());
    }
}
