package io.elanus.rpc.rootcoord;

import io.elanus.api.CollectionListener;
import io.elanus.api.RootCoordClient;

import com.google.protobuf.Empty;
import com.google.protobuf.Int64Value;
import com.google.protobuf.StringValue;
import io.elanus.rpc.EventBroadcaster;
import io.elanus.rpc.RpcHandler;
import io.elanus.proto.AliasRequest;
import io.elanus.proto.AllocIdsRequest;
import io.elanus.proto.AllocTimestampsRequest;
import io.elanus.proto.AlterPropertiesRequest;
import io.elanus.proto.CollectionIdRequest;
import io.elanus.proto.CollectionInfo;
import io.elanus.proto.CollectionMetaInvalidation;
import io.elanus.proto.CollectionList;
import io.elanus.proto.CollectionRequest;
import io.elanus.proto.CreateCollectionRequest;
import io.elanus.proto.DatabaseInfo;
import io.elanus.proto.DatabaseList;
import io.elanus.proto.DatabaseRequest;
import io.elanus.proto.FoundCollection;
import io.elanus.proto.ListenerAck;
import io.elanus.proto.ListenerEvent;
import io.elanus.proto.NameList;
import io.elanus.proto.PartitionChange;
import io.elanus.proto.PartitionInfo;
import io.elanus.proto.PartitionRequest;
import io.elanus.proto.ProxyTimeTickRequest;
import io.elanus.proto.RenameCollectionRequest;
import io.elanus.proto.RootCoordServiceGrpc;
import io.grpc.stub.StreamObserver;

import java.util.Optional;

/** Serves a {@link RootCoordClient} (the rootcoord of this process) to roles in other processes. */
public final class RootCoordGrpcService extends RootCoordServiceGrpc.RootCoordServiceImplBase {
    private final RootCoordClient rootCoord;
    private final EventBroadcaster events = new EventBroadcaster("collection events");

    public RootCoordGrpcService(RootCoordClient rootCoord) {
        this.rootCoord = rootCoord;
        rootCoord.addCollectionListener(new Publisher());
    }

    /** Forwards the rootcoord's listener calls to the subscribed streams. */
    private final class Publisher implements CollectionListener {
        @Override
        public void onCollectionCreated(CollectionInfo collection) {
            events.publish(ListenerEvent.newBuilder().setCollectionCreated(collection).build());
        }

        @Override
        public void onCollectionDropped(CollectionInfo collection) {
            events.publish(ListenerEvent.newBuilder().setCollectionDropped(collection).build());
        }

        @Override
        public void onPartitionDropped(CollectionInfo collection, long partitionId) {
            events.publish(ListenerEvent.newBuilder().setPartitionDropped(PartitionChange.newBuilder()
                    .setCollection(collection).setPartition(PartitionInfo.newBuilder().setId(partitionId))).build());
        }

        @Override
        public void onPartitionCreated(CollectionInfo collection, PartitionInfo partition) {
            events.publish(ListenerEvent.newBuilder().setPartitionCreated(PartitionChange.newBuilder()
                    .setCollection(collection).setPartition(partition)).build());
        }

        @Override
        public void onCollectionMetaInvalidated(String db, String collectionName, long collectionId) {
            events.publish(ListenerEvent.newBuilder().setCollectionMetaInvalidated(CollectionMetaInvalidation.newBuilder()
                    .setDbName(db).setCollectionName(collectionName).setCollectionId(collectionId)).build());
        }
    }

    @Override
    public StreamObserver<ListenerAck> watchCollectionEvents(StreamObserver<ListenerEvent> out) {
        return events.subscribe(out);
    }

    @Override
    public void invalidateCollectionMetaCache(CollectionMetaInvalidation req, StreamObserver<Empty> out) {
        RpcHandler.run(out, () -> rootCoord.invalidateCollectionMetaCache(req.getDbName(), req.getCollectionName(),
                req.getCollectionId()));
    }

    @Override
    public void allocTimestamp(Empty req, StreamObserver<Int64Value> out) {
        RpcHandler.reply(out, () -> Int64Value.of(rootCoord.allocTimestamp()));
    }

    @Override
    public void allocTimestamps(AllocTimestampsRequest req, StreamObserver<Int64Value> out) {
        RpcHandler.reply(out, () -> Int64Value.of(rootCoord.allocTimestamps(req.getCount())));
    }

    @Override
    public void allocIds(AllocIdsRequest req, StreamObserver<Int64Value> out) {
        RpcHandler.reply(out, () -> Int64Value.of(rootCoord.allocIds(req.getCount())));
    }

    @Override
    public void reportProxyTimeTick(ProxyTimeTickRequest req, StreamObserver<Empty> out) {
        RpcHandler.run(out, () -> rootCoord.reportProxyTimeTick(req.getProxyId(), req.getSafeTs()));
    }

    @Override
    public void createDatabase(DatabaseRequest req, StreamObserver<Empty> out) {
        RpcHandler.run(out, () -> rootCoord.createDatabase(req.getDbName(), req.getPropertiesList()));
    }

    @Override
    public void dropDatabase(DatabaseRequest req, StreamObserver<Empty> out) {
        RpcHandler.run(out, () -> rootCoord.dropDatabase(req.getDbName()));
    }

    @Override
    public void listDatabases(Empty req, StreamObserver<DatabaseList> out) {
        RpcHandler.reply(out, () -> DatabaseList.newBuilder().addAllDatabases(rootCoord.listDatabases()).build());
    }

    @Override
    public void describeDatabase(DatabaseRequest req, StreamObserver<DatabaseInfo> out) {
        RpcHandler.reply(out, () -> rootCoord.describeDatabase(req.getDbName()));
    }

    @Override
    public void alterDatabase(AlterPropertiesRequest req, StreamObserver<Empty> out) {
        RpcHandler.run(out, () -> rootCoord.alterDatabase(req.getDbName(), req.getSetList(), req.getDeleteKeysList()));
    }

    @Override
    public void createCollection(CreateCollectionRequest req, StreamObserver<CollectionInfo> out) {
        RpcHandler.reply(out, () -> rootCoord.createCollection(req.getDbName(), req.getSchema(), req.getShardsNum(),
                req.getConsistencyLevel(), req.getPropertiesList(), req.getNumPartitions()));
    }

    @Override
    public void dropCollection(CollectionRequest req, StreamObserver<Empty> out) {
        RpcHandler.run(out, () -> rootCoord.dropCollection(req.getDbName(), req.getCollectionName()));
    }

    @Override
    public void findCollection(CollectionRequest req, StreamObserver<FoundCollection> out) {
        RpcHandler.reply(out, () -> found(rootCoord.findCollection(req.getDbName(), req.getCollectionName())));
    }

    @Override
    public void describeCollection(CollectionRequest req, StreamObserver<CollectionInfo> out) {
        RpcHandler.reply(out, () -> rootCoord.describeCollection(req.getDbName(), req.getCollectionName()));
    }

    @Override
    public void collectionById(CollectionIdRequest req, StreamObserver<FoundCollection> out) {
        RpcHandler.reply(out, () -> found(rootCoord.collectionById(req.getCollectionId())));
    }

    private static FoundCollection found(Optional<CollectionInfo> c) {
        FoundCollection.Builder b = FoundCollection.newBuilder();
        c.ifPresent(b::setCollection);
        return b.build();
    }

    @Override
    public void listCollections(DatabaseRequest req, StreamObserver<CollectionList> out) {
        RpcHandler.reply(out, () -> CollectionList.newBuilder().addAllCollections(rootCoord.listCollections(req.getDbName())).build());
    }

    @Override
    public void renameCollection(RenameCollectionRequest req, StreamObserver<Empty> out) {
        RpcHandler.run(out, () -> rootCoord.renameCollection(req.getDbName(), req.getOldName(), req.getNewDbName(), req.getNewName()));
    }

    @Override
    public void alterCollection(AlterPropertiesRequest req, StreamObserver<Empty> out) {
        RpcHandler.run(out, () -> rootCoord.alterCollection(req.getDbName(), req.getCollectionName(), req.getSetList(),
                req.getDeleteKeysList()));
    }

    @Override
    public void createPartition(PartitionRequest req, StreamObserver<Empty> out) {
        RpcHandler.run(out, () -> rootCoord.createPartition(req.getDbName(), req.getCollectionName(), req.getPartitionName()));
    }

    @Override
    public void dropPartition(PartitionRequest req, StreamObserver<Empty> out) {
        RpcHandler.run(out, () -> rootCoord.dropPartition(req.getDbName(), req.getCollectionName(), req.getPartitionName()));
    }

    @Override
    public void createAlias(AliasRequest req, StreamObserver<Empty> out) {
        RpcHandler.run(out, () -> rootCoord.createAlias(req.getDbName(), req.getAlias(), req.getCollectionName()));
    }

    @Override
    public void dropAlias(AliasRequest req, StreamObserver<Empty> out) {
        RpcHandler.run(out, () -> rootCoord.dropAlias(req.getDbName(), req.getAlias()));
    }

    @Override
    public void alterAlias(AliasRequest req, StreamObserver<Empty> out) {
        RpcHandler.run(out, () -> rootCoord.alterAlias(req.getDbName(), req.getAlias(), req.getCollectionName()));
    }

    @Override
    public void describeAlias(AliasRequest req, StreamObserver<StringValue> out) {
        RpcHandler.reply(out, () -> StringValue.of(rootCoord.describeAlias(req.getDbName(), req.getAlias())));
    }

    @Override
    public void listAliases(CollectionRequest req, StreamObserver<NameList> out) {
        RpcHandler.reply(out, () -> NameList.newBuilder().addAllNames(rootCoord.listAliases(req.getDbName(), req.getCollectionName())).build());
    }

    @Override
    public void aliasesOf(CollectionInfo req, StreamObserver<NameList> out) {
        RpcHandler.reply(out, () -> NameList.newBuilder().addAllNames(rootCoord.aliasesOf(req)).build());
    }
}
