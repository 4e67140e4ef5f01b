package io.elanus.rpc.datacoord;

import io.elanus.api.DataCoordClient;
import io.elanus.api.SegmentListener;

import com.google.protobuf.BoolValue;
import com.google.protobuf.Empty;
import com.google.protobuf.Int64Value;
import io.elanus.rpc.EventBroadcaster;
import io.elanus.rpc.RpcHandler;
import io.elanus.proto.AssignSegmentRequest;
import io.elanus.proto.ChannelFaultRequest;
import io.elanus.proto.CollectionIdRequest;
import io.elanus.proto.DataCoordServiceGrpc;
import io.elanus.proto.DropIndexRequest;
import io.elanus.proto.FlushResponse;
import io.elanus.proto.FlushedRequest;
import io.elanus.proto.FoundSegment;
import io.elanus.proto.IndexList;
import io.elanus.proto.IndexMeta;
import io.elanus.proto.ListenerAck;
import io.elanus.proto.ListenerEvent;
import io.elanus.proto.ReportBufferedRowsRequest;
import io.elanus.proto.SaveFlushResultRequest;
import io.elanus.proto.SegmentIdRequest;
import io.elanus.proto.SegmentIndexList;
import io.elanus.proto.SegmentIndexMeta;
import io.elanus.proto.SegmentList;
import io.elanus.proto.SegmentMeta;
import io.elanus.proto.VchannelRequest;
import io.elanus.proto.WalPositionPb;
import io.grpc.stub.StreamObserver;

/** Serves a {@link DataCoordClient} (the datacoord of this process) to roles in other processes. */
public final class DataCoordGrpcService extends DataCoordServiceGrpc.DataCoordServiceImplBase {
    private final DataCoordClient dataCoord;
    private final EventBroadcaster events = new EventBroadcaster("segment events");

    public DataCoordGrpcService(DataCoordClient dataCoord) {
        this.dataCoord = dataCoord;
        dataCoord.addSegmentListener(new Publisher());
    }

    /** Forwards the datacoord's listener calls to the subscribed streams. */
    private final class Publisher implements SegmentListener {
        @Override
        public void onSegmentFlushed(SegmentMeta segment) {
            events.publish(ListenerEvent.newBuilder().setSegmentFlushed(segment).build());
        }

        @Override
        public void onSegmentIndexBuilt(SegmentIndexMeta index) {
            events.publish(ListenerEvent.newBuilder().setSegmentIndexBuilt(index).build());
        }

        @Override
        public void onIndexCreated(IndexMeta index) {
            events.publish(ListenerEvent.newBuilder().setIndexCreated(index).build());
        }
    }

    @Override
    public StreamObserver<ListenerAck> watchSegmentEvents(StreamObserver<ListenerEvent> out) {
        return events.subscribe(out);
    }

    @Override
    public void assignSegment(AssignSegmentRequest req, StreamObserver<Int64Value> out) {
        RpcHandler.reply(out, () -> Int64Value.of(dataCoord.assignSegment(req.getCollectionId(), req.getPartitionId(),
                req.getVchannel(), req.getRows())));
    }

    @Override
    public void flush(CollectionIdRequest req, StreamObserver<FlushResponse> out) {
        RpcHandler.reply(out, () -> {
            DataCoordClient.FlushResult r = dataCoord.flush(req.getCollectionId());
            return FlushResponse.newBuilder().addAllSegmentIds(r.segmentIds()).setFlushTs(r.flushTs()).build();
        });
    }

    @Override
    public void flushed(FlushedRequest req, StreamObserver<BoolValue> out) {
        RpcHandler.reply(out, () -> BoolValue.of(dataCoord.flushed(req.getCollectionId(), req.getSegmentIdsList(), req.getFlushTs())));
    }

    @Override
    public void segments(CollectionIdRequest req, StreamObserver<SegmentList> out) {
        RpcHandler.reply(out, () -> SegmentList.newBuilder().addAllSegments(dataCoord.segments(req.getCollectionId())).build());
    }

    @Override
    public void segment(SegmentIdRequest req, StreamObserver<FoundSegment> out) {
        RpcHandler.reply(out, () -> {
            FoundSegment.Builder b = FoundSegment.newBuilder();
            dataCoord.segment(req.getSegmentId()).ifPresent(b::setSegment);
            return b.build();
        });
    }

    @Override
    public void bufferedRows(SegmentIdRequest req, StreamObserver<Int64Value> out) {
        RpcHandler.reply(out, () -> Int64Value.of(dataCoord.bufferedRows(req.getSegmentId())));
    }

    @Override
    public void channelCheckpoint(VchannelRequest req, StreamObserver<WalPositionPb> out) {
        RpcHandler.reply(out, () -> dataCoord.channelCheckpoint(req.getVchannel()));
    }

    @Override
    public void saveFlushResult(SaveFlushResultRequest req, StreamObserver<Empty> out) {
        RpcHandler.run(out, () -> dataCoord.saveFlushResult(req.getVchannel(), req.getFlushedSegmentsList(), req.getCheckpoint()));
    }

    @Override
    public void reportBufferedRows(ReportBufferedRowsRequest req, StreamObserver<Empty> out) {
        RpcHandler.run(out, () -> dataCoord.reportBufferedRows(req.getRowsBySegmentMap()));
    }

    @Override
    public void reportChannelFault(ChannelFaultRequest req, StreamObserver<Empty> out) {
        RpcHandler.run(out, () -> dataCoord.reportChannelFault(req.getVchannel(), req.getReason()));
    }

    @Override
    public void createIndex(IndexMeta req, StreamObserver<Empty> out) {
        RpcHandler.run(out, () -> dataCoord.createIndex(req));
    }

    @Override
    public void indexes(CollectionIdRequest req, StreamObserver<IndexList> out) {
        RpcHandler.reply(out, () -> IndexList.newBuilder().addAllIndexes(dataCoord.indexes(req.getCollectionId())).build());
    }

    @Override
    public void dropIndex(DropIndexRequest req, StreamObserver<Empty> out) {
        RpcHandler.run(out, () -> dataCoord.dropIndex(req.getCollectionId(), req.getIndexId()));
    }

    @Override
    public void segmentIndexes(CollectionIdRequest req, StreamObserver<SegmentIndexList> out) {
        RpcHandler.reply(out, () -> SegmentIndexList.newBuilder()
                .addAllSegmentIndexes(dataCoord.segmentIndexes(req.getCollectionId())).build());
    }

    @Override
    public void saveSegmentIndex(SegmentIndexMeta req, StreamObserver<Empty> out) {
        RpcHandler.run(out, () -> dataCoord.saveSegmentIndex(req));
    }
}
