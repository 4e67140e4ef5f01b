package io.elanus.rpc.datacoord;

import io.elanus.api.DataCoordClient;
import io.elanus.api.SegmentListener;

import io.elanus.rpc.EventSubscription;
import io.elanus.rpc.RemoteStub;
import io.elanus.proto.AssignSegmentRequest;
import io.elanus.proto.ChannelFaultRequest;
import io.elanus.proto.CollectionIdRequest;
import io.elanus.proto.DataCoordServiceGrpc;
import io.elanus.proto.DropIndexRequest;
import io.elanus.proto.FlushResponse;
import io.elanus.proto.FlushedRequest;
import io.elanus.proto.FoundSegment;
import io.elanus.proto.IndexMeta;
import io.elanus.proto.ListenerEvent;
import io.elanus.proto.ReportBufferedRowsRequest;
import io.elanus.proto.SaveFlushResultRequest;
import io.elanus.proto.SegmentIdRequest;
import io.elanus.proto.SegmentIndexMeta;
import io.elanus.proto.SegmentMeta;
import io.elanus.proto.VchannelRequest;
import io.elanus.proto.WalPositionPb;
import io.grpc.ManagedChannel;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A datacoord in another process, through {@link DataCoordGrpcService}. Failures, the peer's and
 * the transport's, are {@link io.elanus.common.MilvusException}s. The channel belongs to the caller;
 * {@link #close} ends the listener subscriptions.
 */
public final class DataCoordGrpcClient implements DataCoordClient, AutoCloseable {
    private final RemoteStub<DataCoordServiceGrpc.DataCoordServiceBlockingStub> remote;
    private final DataCoordServiceGrpc.DataCoordServiceStub events;
    private final List<EventSubscription> subscriptions = new CopyOnWriteArrayList<>();

    /** @param deadline of each call */
    public DataCoordGrpcClient(ManagedChannel channel, Duration deadline) {
        this.remote = new RemoteStub<>(DataCoordServiceGrpc.newBlockingStub(channel), "datacoord", deadline);
        this.events = DataCoordServiceGrpc.newStub(channel);
    }

    /** Subscribes with the listener's own {@link SegmentListener#onSegmentEventsMissed} as the re-scan; see {@link #addSegmentListener(SegmentListener, Runnable)}. */
    @Override
    public void addSegmentListener(SegmentListener listener) {
        addSegmentListener(listener, listener::onSegmentEventsMissed);
    }

    /**
     * Returns once subscribed, then calls {@code listener} on a background thread, one event at a
     * time in the datacoord's order; the datacoord's call that raised the event waits for it.
     * Events of the time the datacoord is unreachable are lost: after the stream is re-opened
     * {@code resync} runs, to re-scan the segments and indexes.
     */
    public void addSegmentListener(SegmentListener listener, Runnable resync) {
        subscriptions.add(EventSubscription.open(remote.peer(), remote.deadline(),
                (executor, out) -> events.withExecutor(executor).watchSegmentEvents(out),
                event -> dispatch(listener, event), resync));
    }

    private static void dispatch(SegmentListener listener, ListenerEvent event) {
        switch (event.getKindCase()) {
            case SEGMENT_FLUSHED -> listener.onSegmentFlushed(event.getSegmentFlushed());
            case SEGMENT_INDEX_BUILT -> listener.onSegmentIndexBuilt(event.getSegmentIndexBuilt());
            case INDEX_CREATED -> listener.onIndexCreated(event.getIndexCreated());
            default -> throw new IllegalArgumentException("not a segment event: " + event.getKindCase());
        }
    }

    @Override
    public void close() {
        subscriptions.forEach(EventSubscription::close);
        subscriptions.clear();
    }

    @Override
    public long assignSegment(long collectionId, long partitionId, String vchannel, int rows) {
        return remote.call(s -> s.assignSegment(AssignSegmentRequest.newBuilder().setCollectionId(collectionId)
                .setPartitionId(partitionId).setVchannel(vchannel).setRows(rows).build())).getValue();
    }

    @Override
    public FlushResult flush(long collectionId) {
        FlushResponse r = remote.call(s -> s.flush(collection(collectionId)));
        return new FlushResult(r.getSegmentIdsList(), r.getFlushTs());
    }

    @Override
    public boolean flushed(long collectionId, List<Long> segmentIds, long flushTs) {
        return remote.call(s -> s.flushed(FlushedRequest.newBuilder().setCollectionId(collectionId)
                .addAllSegmentIds(segmentIds).setFlushTs(flushTs).build())).getValue();
    }

    @Override
    public List<SegmentMeta> segments(long collectionId) {
        return remote.call(s -> s.segments(collection(collectionId))).getSegmentsList();
    }

    @Override
    public Optional<SegmentMeta> segment(long segmentId) {
        FoundSegment f = remote.call(s -> s.segment(segmentRequest(segmentId)));
        return f.hasSegment() ? Optional.of(f.getSegment()) : Optional.empty();
    }

    @Override
    public long bufferedRows(long segmentId) {
        return remote.call(s -> s.bufferedRows(segmentRequest(segmentId))).getValue();
    }

    @Override
    public WalPositionPb channelCheckpoint(String vchannel) {
        return remote.call(s -> s.channelCheckpoint(VchannelRequest.newBuilder().setVchannel(vchannel).build()));
    }

    @Override
    public void saveFlushResult(String vchannel, List<SegmentMeta> flushedSegments, WalPositionPb checkpoint) {
        remote.call(s -> s.saveFlushResult(SaveFlushResultRequest.newBuilder().setVchannel(vchannel)
                .addAllFlushedSegments(flushedSegments).setCheckpoint(checkpoint).build()));
    }

    @Override
    public void reportBufferedRows(Map<Long, Long> rowsBySegment) {
        remote.call(s -> s.reportBufferedRows(ReportBufferedRowsRequest.newBuilder().putAllRowsBySegment(rowsBySegment).build()));
    }

    @Override
    public void reportChannelFault(String vchannel, String reason) {
        remote.call(s -> s.reportChannelFault(ChannelFaultRequest.newBuilder().setVchannel(vchannel).setReason(reason).build()));
    }

    @Override
    public void createIndex(IndexMeta index) {
        remote.call(s -> s.createIndex(index));
    }

    @Override
    public List<IndexMeta> indexes(long collectionId) {
        return remote.call(s -> s.indexes(collection(collectionId))).getIndexesList();
    }

    @Override
    public void dropIndex(long collectionId, long indexId) {
        remote.call(s -> s.dropIndex(DropIndexRequest.newBuilder().setCollectionId(collectionId).setIndexId(indexId).build()));
    }

    @Override
    public List<SegmentIndexMeta> segmentIndexes(long collectionId) {
        return remote.call(s -> s.segmentIndexes(collection(collectionId))).getSegmentIndexesList();
    }

    @Override
    public void saveSegmentIndex(SegmentIndexMeta segmentIndex) {
        remote.call(s -> s.saveSegmentIndex(segmentIndex));
    }

    private static CollectionIdRequest collection(long id) {
        return CollectionIdRequest.newBuilder().setCollectionId(id).build();
    }

    private static SegmentIdRequest segmentRequest(long id) {
        return SegmentIdRequest.newBuilder().setSegmentId(id).build();
    }
}
