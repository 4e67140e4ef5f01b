package io.elanus.rpc.querynode;

import io.elanus.api.Hit;
import io.elanus.api.QueryNodeClient;
import io.elanus.api.QuerySpec;
import io.elanus.api.SearchSpec;

import com.google.protobuf.Empty;
import com.google.protobuf.Int64Value;
import io.elanus.rpc.RpcHandler;
import io.elanus.common.MilvusError;
import io.elanus.common.MilvusException;
import io.elanus.proto.CollectionIdRequest;
import io.elanus.proto.CollectionInfo;
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

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves a {@link QueryNodeClient} (the query node of this process) to querycoord and proxies.
 * It remembers the collection of every channel watched through it: filters arriving as text are
 * compiled against that schema, and hits are encoded with it. Every watch and release of a
 * cluster's query node goes through here, so that knowledge matches the node's channels.
 */
public final class QueryNodeGrpcService extends QueryNodeServiceGrpc.QueryNodeServiceImplBase {
    private final QueryNodeClient node;
    private final Map<String, CollectionInfo> collectionOf = new ConcurrentHashMap<>();

    public QueryNodeGrpcService(QueryNodeClient node) {
        this.node = node;
    }

    @Override
    public void watchChannel(WatchChannelRequest req, StreamObserver<Empty> out) {
        RpcHandler.run(out, () -> {
            node.watchChannel(req.getCollection(), req.getVchannel(), req.getStartOffset(), req.getFlushedList());
            collectionOf.put(req.getVchannel(), req.getCollection());
        });
    }

    @Override
    public void segmentFlushed(SegmentMeta req, StreamObserver<Empty> out) {
        RpcHandler.run(out, () -> node.onSegmentFlushed(req));
    }

    @Override
    public void releaseCollection(CollectionIdRequest req, StreamObserver<Empty> out) {
        RpcHandler.run(out, () -> {
            node.releaseCollection(req.getCollectionId());
            collectionOf.values().removeIf(c -> c.getId() == req.getCollectionId());
        });
    }

    @Override
    public void releaseChannel(VchannelRequest req, StreamObserver<Empty> out) {
        RpcHandler.run(out, () -> {
            node.releaseChannel(req.getVchannel());
            collectionOf.remove(req.getVchannel());
        });
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
            CollectionInfo c = collection(req.getVchannel());
            SearchSpec spec = ShardRequests.toSpec(req, c.getSchema());
            List<List<Hit>> hits = node.search(req.getVchannel(), spec, req.getTimeoutMs());
            return ShardHitsCodec.encodeSearch(hits, c.getSchema(), spec.outputFieldIds());
        });
    }

    @Override
    public void query(ShardQueryRequest req, StreamObserver<ShardHits> out) {
        RpcHandler.reply(out, () -> {
            CollectionInfo c = collection(req.getVchannel());
            QuerySpec spec = ShardRequests.toSpec(req, c.getSchema());
            return ShardHitsCodec.encode(node.query(req.getVchannel(), spec, req.getTimeoutMs()), c.getSchema(), spec.outputFieldIds());
        });
    }

    @Override
    public void count(ShardQueryRequest req, StreamObserver<Int64Value> out) {
        RpcHandler.reply(out, () -> {
            QuerySpec spec = ShardRequests.toSpec(req, collection(req.getVchannel()).getSchema());
            return Int64Value.of(node.count(req.getVchannel(), spec, req.getTimeoutMs()));
        });
    }

    @Override
    public void loadedSegments(CollectionIdRequest req, StreamObserver<LoadedSegmentRows> out) {
        RpcHandler.reply(out, () -> LoadedSegmentRows.newBuilder().putAllRowsBySegment(node.loadedSegments(req.getCollectionId())).build());
    }

    /** The collection served on the channel; the node's own wording when it does not serve it. */
    private CollectionInfo collection(String vchannel) {
        CollectionInfo c = collectionOf.get(vchannel);
        if (c == null) {
            throw new MilvusException(MilvusError.CHANNEL_NOT_FOUND, "channel not found[channel=" + vchannel + "]");
        }
        return c;
    }
}
