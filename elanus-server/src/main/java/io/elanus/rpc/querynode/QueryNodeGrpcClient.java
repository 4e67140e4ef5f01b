package io.elanus.rpc.querynode;

import io.elanus.api.Hit;
import io.elanus.api.QueryNodeClient;
import io.elanus.api.QuerySpec;
import io.elanus.api.SearchSpec;

import io.elanus.rpc.RemoteStub;
import io.elanus.proto.CollectionIdRequest;
import io.elanus.proto.CollectionInfo;
import io.elanus.proto.LoadIndexRequest;
import io.elanus.proto.QueryNodeServiceGrpc;
import io.elanus.proto.SegmentMeta;
import io.elanus.proto.VchannelRequest;
import io.elanus.proto.WatchChannelRequest;
import io.grpc.ManagedChannel;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A query node in another process, through {@link QueryNodeGrpcService}. Its id is known from where
 * the node was discovered (its session, or querycoord's shard leaders), so {@link #nodeId} costs no
 * call. Hits come back holding the values of the fields named in the spec's {@code outputFieldIds}. Failures
 * are {@link io.elanus.common.MilvusException}s; the channel belongs to the caller.
 */
public final class QueryNodeGrpcClient implements QueryNodeClient {
    /** Watching a channel, a hand-off and an index load read whole segments from the object store. */
    private static final Duration LOAD_DEADLINE = Duration.ofMinutes(10);

    private final long nodeId;
    private final RemoteStub<QueryNodeServiceGrpc.QueryNodeServiceBlockingStub> remote;

    /** @param deadline of each call, added to a read's own timeout */
    public QueryNodeGrpcClient(long nodeId, ManagedChannel channel, Duration deadline) {
        this.nodeId = nodeId;
        this.remote = new RemoteStub<>(QueryNodeServiceGrpc.newBlockingStub(channel), "querynode " + nodeId, deadline);
    }

    @Override
    public long nodeId() {
        return nodeId;
    }

    @Override
    public void watchChannel(CollectionInfo collection, String vchannel, long startOffset, Collection<SegmentMeta> flushed) {
        remote.call(LOAD_DEADLINE, s -> s.watchChannel(WatchChannelRequest.newBuilder().setCollection(collection)
                .setVchannel(vchannel).setStartOffset(startOffset).addAllFlushed(flushed).build()));
    }

    @Override
    public void onSegmentFlushed(SegmentMeta segment) {
        remote.call(LOAD_DEADLINE, s -> s.segmentFlushed(segment));
    }

    @Override
    public void releaseCollection(long collectionId) {
        remote.call(s -> s.releaseCollection(CollectionIdRequest.newBuilder().setCollectionId(collectionId).build()));
    }

    @Override
    public void releaseChannel(String vchannel) {
        remote.call(s -> s.releaseChannel(VchannelRequest.newBuilder().setVchannel(vchannel).build()));
    }

    @Override
    public void loadIndex(long collectionId, long segmentId, long fieldId, String objectKey) {
        remote.call(LOAD_DEADLINE, s -> s.loadIndex(LoadIndexRequest.newBuilder().setCollectionId(collectionId)
                .setSegmentId(segmentId).setFieldId(fieldId).setObjectKey(objectKey).build()));
    }

    @Override
    public long walPosition(String vchannel) {
        return remote.call(s -> s.walPosition(channel(vchannel))).getValue();
    }

    @Override
    public long tsafe(String vchannel) {
        return remote.call(s -> s.tsafe(channel(vchannel))).getValue();
    }

    @Override
    public List<List<Hit>> search(String vchannel, SearchSpec spec, long timeoutMs) {
        return ShardHitsCodec.decodeSearch(remote.call(readDeadline(timeoutMs),
                s -> s.search(ShardRequests.toRequest(vchannel, spec, timeoutMs))));
    }

    @Override
    public List<Hit> query(String vchannel, QuerySpec spec, long timeoutMs) {
        return ShardHitsCodec.decode(remote.call(readDeadline(timeoutMs),
                s -> s.query(ShardRequests.toRequest(vchannel, spec, timeoutMs))));
    }

    @Override
    public long count(String vchannel, QuerySpec spec, long timeoutMs) {
        return remote.call(readDeadline(timeoutMs), s -> s.count(ShardRequests.toRequest(vchannel, spec, timeoutMs))).getValue();
    }

    @Override
    public Map<Long, Long> loadedSegments(long collectionId) {
        return remote.call(s -> s.loadedSegments(CollectionIdRequest.newBuilder().setCollectionId(collectionId).build()))
                .getRowsBySegmentMap();
    }

    /** A read may wait up to its timeout for the channel's tsafe; the node answers a timeout itself. */
    private Duration readDeadline(long timeoutMs) {
        return remote.deadline().plusMillis(timeoutMs);
    }

    private static VchannelRequest channel(String vchannel) {
        return VchannelRequest.newBuilder().setVchannel(vchannel).build();
    }
}
