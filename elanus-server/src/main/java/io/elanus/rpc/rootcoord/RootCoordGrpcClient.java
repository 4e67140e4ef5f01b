package io.elanus.rpc.rootcoord;

import io.elanus.api.CollectionListener;
import io.elanus.api.RootCoordClient;

import com.google.protobuf.Empty;
import io.elanus.rpc.EventSubscription;
import io.elanus.rpc.RemoteStub;
import io.elanus.proto.AliasRequest;
import io.elanus.proto.AllocIdsRequest;
import io.elanus.proto.AllocTimestampsRequest;
import io.elanus.proto.AlterPropertiesRequest;
import io.elanus.proto.CollectionIdRequest;
import io.elanus.proto.CollectionInfo;
import io.elanus.proto.CollectionMetaInvalidation;
import io.elanus.proto.CollectionRequest;
import io.elanus.proto.CreateCollectionRequest;
import io.elanus.proto.DatabaseInfo;
import io.elanus.proto.DatabaseRequest;
import io.elanus.proto.FoundCollection;
import io.elanus.proto.ListenerEvent;
import io.elanus.proto.PartitionRequest;
import io.elanus.proto.ProxyTimeTickRequest;
import io.elanus.proto.RenameCollectionRequest;
import io.elanus.proto.RootCoordServiceGrpc;
import io.grpc.ManagedChannel;
import io.milvus.grpc.CollectionSchema;
import io.milvus.grpc.ConsistencyLevel;
import io.milvus.grpc.KeyValuePair;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A rootcoord in another process, through {@link RootCoordGrpcService}. Failures, the peer's and
 * the transport's, are {@link io.elanus.common.MilvusException}s. The channel belongs to the caller;
 * {@link #close} ends the listener subscriptions.
 */
public final class RootCoordGrpcClient implements RootCoordClient, AutoCloseable {
    private final RemoteStub<RootCoordServiceGrpc.RootCoordServiceBlockingStub> remote;
    private final RootCoordServiceGrpc.RootCoordServiceStub events;
    private final List<EventSubscription> subscriptions = new CopyOnWriteArrayList<>();

    /** @param deadline of each call */
    public RootCoordGrpcClient(ManagedChannel channel, Duration deadline) {
        this.remote = new RemoteStub<>(RootCoordServiceGrpc.newBlockingStub(channel), "rootcoord", deadline);
        this.events = RootCoordServiceGrpc.newStub(channel);
    }

    /** Like {@link RootCoordClient#addCollectionListener}, with the listener's own {@link CollectionListener#onCollectionEventsMissed} as the re-scan. */
    @Override
    public void addCollectionListener(CollectionListener listener) {
        addCollectionListener(listener, listener::onCollectionEventsMissed);
    }

    /**
     * Like {@link RootCoordClient#addCollectionListener}: returns once subscribed, then calls
     * {@code listener} on a background thread, one event at a time in the rootcoord's order; the
     * rootcoord's DDL call waits for it. Events of the time the rootcoord is unreachable are lost:
     * after the stream is re-opened {@code resync} runs, to re-scan the collections.
     */
    public void addCollectionListener(CollectionListener listener, Runnable resync) {
        subscriptions.add(EventSubscription.open(remote.peer(), remote.deadline(),
                (executor, out) -> events.withExecutor(executor).watchCollectionEvents(out),
                event -> dispatch(listener, event), resync));
    }

    private static void dispatch(CollectionListener listener, ListenerEvent event) {
        switch (event.getKindCase()) {
            case COLLECTION_CREATED -> listener.onCollectionCreated(event.getCollectionCreated());
            case COLLECTION_DROPPED -> listener.onCollectionDropped(event.getCollectionDropped());
            case PARTITION_CREATED -> listener.onPartitionCreated(event.getPartitionCreated().getCollection(),
                    event.getPartitionCreated().getPartition());
            case PARTITION_DROPPED -> listener.onPartitionDropped(event.getPartitionDropped().getCollection(),
                    event.getPartitionDropped().getPartition().getId());
            case COLLECTION_META_INVALIDATED -> listener.onCollectionMetaInvalidated(
                    event.getCollectionMetaInvalidated().getDbName(), event.getCollectionMetaInvalidated().getCollectionName(),
                    event.getCollectionMetaInvalidated().getCollectionId());
            default -> throw new IllegalArgumentException("not a collection event: " + event.getKindCase());
        }
    }

    @Override
    public void close() {
        subscriptions.forEach(EventSubscription::close);
        subscriptions.clear();
    }

    @Override
    public void invalidateCollectionMetaCache(String db, String collectionName, long collectionId) {
        remote.call(s -> s.invalidateCollectionMetaCache(CollectionMetaInvalidation.newBuilder().setDbName(db)
                .setCollectionName(collectionName).setCollectionId(collectionId).build()));
    }

    @Override
    public long allocTimestamp() {
        return remote.call(s -> s.allocTimestamp(Empty.getDefaultInstance())).getValue();
    }

    @Override
    public long allocTimestamps(int count) {
        return remote.call(s -> s.allocTimestamps(AllocTimestampsRequest.newBuilder().setCount(count).build())).getValue();
    }

    @Override
    public long allocIds(int count) {
        return remote.call(s -> s.allocIds(AllocIdsRequest.newBuilder().setCount(count).build())).getValue();
    }

    @Override
    public void reportProxyTimeTick(long proxyId, long safeTs) {
        remote.call(s -> s.reportProxyTimeTick(ProxyTimeTickRequest.newBuilder().setProxyId(proxyId).setSafeTs(safeTs).build()));
    }

    @Override
    public void createDatabase(String name, List<KeyValuePair> properties) {
        remote.call(s -> s.createDatabase(DatabaseRequest.newBuilder().setDbName(name).addAllProperties(properties).build()));
    }

    @Override
    public void dropDatabase(String name) {
        remote.call(s -> s.dropDatabase(database(name)));
    }

    @Override
    public List<DatabaseInfo> listDatabases() {
        return remote.call(s -> s.listDatabases(Empty.getDefaultInstance())).getDatabasesList();
    }

    @Override
    public DatabaseInfo describeDatabase(String name) {
        return remote.call(s -> s.describeDatabase(database(name)));
    }

    @Override
    public void alterDatabase(String name, List<KeyValuePair> set, List<String> deleteKeys) {
        remote.call(s -> s.alterDatabase(AlterPropertiesRequest.newBuilder().setDbName(name).addAllSet(set)
                .addAllDeleteKeys(deleteKeys).build()));
    }

    @Override
    public CollectionInfo createCollection(String db, CollectionSchema schema, int shardsNum, ConsistencyLevel level,
                                           List<KeyValuePair> properties, int numPartitions) {
        return remote.call(s -> s.createCollection(CreateCollectionRequest.newBuilder().setDbName(db).setSchema(schema)
                .setShardsNum(shardsNum).setConsistencyLevel(level).addAllProperties(properties)
                .setNumPartitions(numPartitions).build()));
    }

    @Override
    public void dropCollection(String db, String name) {
        remote.call(s -> s.dropCollection(collection(db, name)));
    }

    @Override
    public Optional<CollectionInfo> findCollection(String db, String nameOrAlias) {
        return found(remote.call(s -> s.findCollection(collection(db, nameOrAlias))));
    }

    @Override
    public CollectionInfo describeCollection(String db, String nameOrAlias) {
        return remote.call(s -> s.describeCollection(collection(db, nameOrAlias)));
    }

    @Override
    public Optional<CollectionInfo> collectionById(long id) {
        return found(remote.call(s -> s.collectionById(CollectionIdRequest.newBuilder().setCollectionId(id).build())));
    }

    @Override
    public List<CollectionInfo> listCollections(String db) {
        return remote.call(s -> s.listCollections(database(db))).getCollectionsList();
    }

    @Override
    public void renameCollection(String db, String oldName, String newDb, String newName) {
        remote.call(s -> s.renameCollection(RenameCollectionRequest.newBuilder().setDbName(db).setOldName(oldName)
                .setNewDbName(newDb).setNewName(newName).build()));
    }

    @Override
    public void alterCollection(String db, String name, List<KeyValuePair> set, List<String> deleteKeys) {
        remote.call(s -> s.alterCollection(AlterPropertiesRequest.newBuilder().setDbName(db).setCollectionName(name)
                .addAllSet(set).addAllDeleteKeys(deleteKeys).build()));
    }

    @Override
    public void createPartition(String db, String collection, String partition) {
        remote.call(s -> s.createPartition(partition(db, collection, partition)));
    }

    @Override
    public void dropPartition(String db, String collection, String partition) {
        remote.call(s -> s.dropPartition(partition(db, collection, partition)));
    }

    @Override
    public void createAlias(String db, String alias, String collection) {
        remote.call(s -> s.createAlias(alias(db, alias, collection)));
    }

    @Override
    public void dropAlias(String db, String alias) {
        remote.call(s -> s.dropAlias(alias(db, alias, "")));
    }

    @Override
    public void alterAlias(String db, String alias, String collection) {
        remote.call(s -> s.alterAlias(alias(db, alias, collection)));
    }

    @Override
    public String describeAlias(String db, String alias) {
        return remote.call(s -> s.describeAlias(alias(db, alias, ""))).getValue();
    }

    @Override
    public List<String> listAliases(String db, String collectionOrEmpty) {
        return remote.call(s -> s.listAliases(collection(db, collectionOrEmpty))).getNamesList();
    }

    @Override
    public List<String> aliasesOf(CollectionInfo collection) {
        return remote.call(s -> s.aliasesOf(collection)).getNamesList();
    }

    private static DatabaseRequest database(String name) {
        return DatabaseRequest.newBuilder().setDbName(name).build();
    }

    private static CollectionRequest collection(String db, String name) {
        return CollectionRequest.newBuilder().setDbName(db).setCollectionName(name).build();
    }

    private static PartitionRequest partition(String db, String collection, String partition) {
        return PartitionRequest.newBuilder().setDbName(db).setCollectionName(collection).setPartitionName(partition).build();
    }

    private static AliasRequest alias(String db, String alias, String collection) {
        return AliasRequest.newBuilder().setDbName(db).setAlias(alias).setCollectionName(collection).build();
    }

    private static Optional<CollectionInfo> found(FoundCollection f) {
        return f.hasCollection() ? Optional.of(f.getCollection()) : Optional.empty();
    }
}
