package io.elanus.rootcoord;

import io.elanus.api.CollectionListener;
import io.elanus.api.RootCoordClient;

import io.elanus.session.RoleComponent;
import io.elanus.common.Config;
import io.elanus.common.ListenerQueue;
import io.elanus.common.MilvusError;
import io.elanus.common.MilvusException;
import io.elanus.common.Params;
import io.elanus.proto.CollectionInfo;
import io.elanus.proto.DatabaseInfo;
import io.elanus.proto.PartitionInfo;
import io.elanus.storage.kv.MetaKv;
import io.elanus.storage.wal.Wal;
import io.milvus.grpc.CollectionSchema;
import io.milvus.grpc.ConsistencyLevel;
import io.milvus.grpc.FieldSchema;
import io.milvus.grpc.KeyValuePair;
import io.milvus.grpc.StateCode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rootcoord: the TSO, the ID allocator and the catalogue. DDL changes the catalogue under this
 * object's monitor: Milvus serialises DDL through rootcoord's scheduler, and the proxy's DDL queue
 * already orders them. Collection listeners (datacoord, querycoord; gRPC streams in a cluster) are
 * never called under the monitor: a DDL queues its event under it, in the order of the changes, the
 * {@link ListenerQueue}'s thread delivers it, and the DDL call returns once the listeners have run.
 * Lock order: this monitor, then the queue's or the meta table's and allocators'; no other role is
 * called under it (docs/concurrency.md).
 */
public final class RootCoord extends RoleComponent implements RootCoordClient {
    public static final String DEFAULT_DB = "default";
    /** Milvus numbers user fields from 100 (0 and 1 are the hidden RowID and Timestamp fields). */
    private static final long FIRST_USER_FIELD_ID = 100;

    private final MetaKv kv;
    private final Config config;
    /** Collection DDL events waiting for delivery at most; DDL callers wait beyond that. */
    private static final int EVENT_QUEUE = 64;

    private final ListenerQueue<CollectionListener> listeners = new ListenerQueue<>("collection events", EVENT_QUEUE);
    private TsoAllocator tso;
    private IdAllocator ids;
    private MetaTable meta;
    private final ProxyTimeTicks proxyTicks;

    /**
     * @param tickWal cluster mode: several proxies write the DML channels, so rootcoord writes their time
     *                ticks into this WAL from the proxies' reports; null in standalone, whose single proxy
     *                ticks the WAL itself
     */
    public RootCoord(long serverId, MetaKv kv, Config config, Wal tickWal) {
        super(kv, serverId);
        this.kv = kv;
        this.config = config;
        this.proxyTicks = tickWal == null ? null : new ProxyTimeTicks(tickWal, () -> meta.pchannelsInUse(), serverId());
    }

    /** The proxy's session is gone (cluster mode). */
    public void proxyGone(long proxyId) {
        ProxyTimeTicks ticks = proxyTicks;
        if (ticks != null) {
            ticks.proxyGone(proxyId);
        }
    }

    @Override
    public void reportProxyTimeTick(long proxyId, long safeTs) {
        ProxyTimeTicks ticks = proxyTicks;
        if (ticks == null) {
            throw new MilvusException(MilvusError.SERVICE_UNIMPLEMENTED, "this rootcoord does not aggregate proxy time ticks (standalone mode)");
        }
        ticks.report(proxyId, safeTs);
    }

    @Override
    public void addCollectionListener(CollectionListener listener) {
        listeners.add(listener);
    }

    /**
     * Not under the lock: it changes no state of this rootcoord, only forwards the proxy's word to the listeners,
     * in order with the collection events, and returns once every listener has heard it.
     */
    @Override
    public void invalidateCollectionMetaCache(String db, String collectionName, long collectionId) {
        try (ListenerQueue.Slot<CollectionListener> event = listeners.reserve()) {
            event.publish(l -> l.onCollectionMetaInvalidated(db, collectionName, collectionId));
            event.awaitDelivered();
        }
    }

    @Override
    public String roleName() {
        return "rootcoord";
    }

    @Override
    public void init() {
        state(StateCode.Initializing);
        tso = new TsoAllocator(kv);
        ids = new IdAllocator(kv);
        meta = new MetaTable(kv);
        listeners.start();
        if (meta.database(DEFAULT_DB).isEmpty()) {
            meta.saveDatabase(DatabaseInfo.newBuilder().setId(ids.allocate(1)).setName(DEFAULT_DB)
                    .setCreatedTs(tso.allocate(1)).build());
        }
    }

    @Override
    public void start() {
        state(StateCode.Healthy);
    }


    @Override
    public void stop() {
        listeners.close();
        unregister();
    }


    // ------------------------------------------------------------------ TSO and IDs

    @Override
    public long allocTimestamp() {
        return tso.allocate(1);
    }

    @Override
    public long allocTimestamps(int count) {
        return tso.allocate(count) - count + 1;
    }

    @Override
    public long allocIds(int count) {
        return ids.allocate(count);
    }

    // ------------------------------------------------------------------ databases

    @Override
    public synchronized void createDatabase(String name, List<KeyValuePair> properties) {
        if (meta.database(name).isPresent()) {
            throw MilvusException.invalidParameter("database already exist: " + name);
        }
        if (meta.databases().size() >= config.getInt(Params.MAX_DATABASE_NUM)) {
            throw new MilvusException(MilvusError.DATABASE_NUM_LIMIT_EXCEEDED,
                    "database number (" + meta.databases().size() + ") exceeds max configuration ("
                            + config.getInt(Params.MAX_DATABASE_NUM) + "): exceeded the limit number of database");
        }
        meta.saveDatabase(DatabaseInfo.newBuilder().setId(ids.allocate(1)).setName(name)
                .setCreatedTs(tso.allocate(1)).addAllProperties(properties).build());
    }

    @Override
    public synchronized void dropDatabase(String name) {
        if (DEFAULT_DB.equals(name)) {
            throw MilvusException.invalidParameter("can not drop default database");
        }
        Optional<DatabaseInfo> db = meta.database(name);
        if (db.isEmpty()) {
            return;
        }
        if (!meta.collections(db.get().getId()).isEmpty()) {
            throw MilvusException.invalidParameter("database:" + name + " not empty, must drop all collections before drop database");
        }
        meta.removeDatabase(db.get());
    }

    @Override
    public List<DatabaseInfo> listDatabases() {
        return meta.databases();
    }

    @Override
    public DatabaseInfo describeDatabase(String name) {
        return meta.requireDatabase(name);
    }

    @Override
    public synchronized void alterDatabase(String name, List<KeyValuePair> set, List<String> deleteKeys) {
        DatabaseInfo db = meta.requireDatabase(name);
        meta.saveDatabase(db.toBuilder().clearProperties()
                .addAllProperties(mergeProperties(db.getPropertiesList(), set, deleteKeys)).build());
    }

    // ------------------------------------------------------------------ collections

    @Override
    public CollectionInfo createCollection(String dbName, CollectionSchema schema, int shardsNum, ConsistencyLevel level,
                                           List<KeyValuePair> properties, int numPartitions) {
        try (ListenerQueue.Slot<CollectionListener> event = listeners.reserve()) {
            CollectionInfo info = createCollection(event, dbName, schema, shardsNum, level, properties, numPartitions);
            event.awaitDelivered();
            return info;
        }
    }

    private synchronized CollectionInfo createCollection(ListenerQueue.Slot<CollectionListener> event, String dbName,
                                                         CollectionSchema schema, int shardsNum, ConsistencyLevel level,
                                                         List<KeyValuePair> properties, int numPartitions) {
        DatabaseInfo db = meta.requireDatabase(dbName);
        String name = schema.getName();
        Optional<CollectionInfo> existing = meta.collectionByName(db.getId(), name);
        if (existing.isPresent() && meta.collectionNameTaken(db.getId(), name)) {
            if (sameSchema(existing.get().getSchema(), schema)) {
                return existing.get();
            }
            throw MilvusException.invalidParameter("create duplicate collection with different parameters, collection: " + name);
        }
        if (meta.alias(db.getId(), name).isPresent()) {
            throw MilvusException.invalidParameter("collection name [" + name + "] conflicts with an existing alias, please choose a unique name");
        }
        if (meta.collections(db.getId()).size() >= config.getInt(Params.MAX_COLLECTION_NUM_PER_DB)) {
            throw new MilvusException(MilvusError.COLLECTION_NUM_LIMIT_EXCEEDED,
                    "exceeded the limit number of collections[dbName=" + dbName + "][limit=" + config.getInt(Params.MAX_COLLECTION_NUM_PER_DB) + "]");
        }
        long collectionId = ids.allocate(1);
        long ts = tso.allocate(1);
        CollectionSchema.Builder sb = schema.toBuilder().clearFields().setDbName(dbName);
        long fieldId = FIRST_USER_FIELD_ID;
        for (FieldSchema f : schema.getFieldsList()) {
            sb.addFields(f.toBuilder().setFieldID(fieldId++).build());
        }
        CollectionInfo.Builder cb = CollectionInfo.newBuilder()
                .setId(collectionId).setDbId(db.getId()).setSchema(sb.build())
                .setShardsNum(shardsNum).setConsistencyLevel(level).setCreatedTs(ts)
                .addAllProperties(properties).setNumPartitions(numPartitions);
        int dmlChannels = config.getInt(Params.DML_CHANNEL_NUM);
        for (int shard = 0; shard < shardsNum; shard++) {
            // Spread shards over the physical channels; the vchannel name encodes collection and shard as Milvus does.
            String pchannel = "by-dev-rootcoord-dml_" + Math.floorMod(collectionId + shard, dmlChannels);
            cb.addPchannels(pchannel).addVchannels(pchannel + "_" + collectionId + "v" + shard);
        }
        boolean partitionKey = schema.getFieldsList().stream().anyMatch(FieldSchema::getIsPartitionKey);
        if (partitionKey) {
            for (int i = 0; i < numPartitions; i++) {
                cb.addPartitions(PartitionInfo.newBuilder().setId(ids.allocate(1))
                        .setName(config.get(Params.DEFAULT_PARTITION_NAME) + "_" + i).setCreatedTs(ts));
            }
        } else {
            cb.addPartitions(PartitionInfo.newBuilder().setId(ids.allocate(1))
                    .setName(config.get(Params.DEFAULT_PARTITION_NAME)).setCreatedTs(ts));
        }
        CollectionInfo info = cb.build();
        meta.saveCollection(info);
        event.publish(l -> l.onCollectionCreated(info));
        return info;
    }

    /** Milvus treats a re-create with the same schema as success; compare ignoring server-assigned parts. */
    private static boolean sameSchema(CollectionSchema stored, CollectionSchema requested) {
        if (stored.getFieldsCount() != requested.getFieldsCount()
                || stored.getEnableDynamicField() != requested.getEnableDynamicField()) {
            return false;
        }
        for (int i = 0; i < stored.getFieldsCount(); i++) {
            FieldSchema a = stored.getFields(i).toBuilder().setFieldID(0).build();
            if (!a.equals(requested.getFields(i).toBuilder().setFieldID(0).build())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void dropCollection(String dbName, String name) {
        try (ListenerQueue.Slot<CollectionListener> event = listeners.reserve()) {
            dropCollection(event, dbName, name);
            event.awaitDelivered();
        }
    }

    private synchronized void dropCollection(ListenerQueue.Slot<CollectionListener> event, String dbName, String name) {
        DatabaseInfo db = meta.requireDatabase(dbName);
        if (meta.alias(db.getId(), name).isPresent()) {
            throw MilvusException.invalidParameter("cannot drop the collection via alias = " + name);
        }
        Optional<CollectionInfo> c = meta.collectionByName(db.getId(), name);
        if (c.isEmpty()) {
            return;
        }
        meta.removeCollection(c.get());
        event.publish(l -> l.onCollectionDropped(c.get()));
    }

    @Override
    public Optional<CollectionInfo> findCollection(String dbName, String nameOrAlias) {
        return meta.database(dbName).flatMap(db -> meta.collectionByName(db.getId(), nameOrAlias));
    }

    @Override
    public CollectionInfo describeCollection(String dbName, String nameOrAlias) {
        DatabaseInfo db = meta.requireDatabase(dbName);
        return meta.collectionByName(db.getId(), nameOrAlias).orElseThrow(() -> new MilvusException(
                MilvusError.COLLECTION_NOT_FOUND,
                "collection not found[database=" + dbName + "][collection=" + nameOrAlias + "]"));
    }

    @Override
    public Optional<CollectionInfo> collectionById(long id) {
        return meta.collection(id);
    }

    @Override
    public List<CollectionInfo> listCollections(String dbName) {
        return meta.collections(meta.requireDatabase(dbName).getId());
    }

    @Override
    public synchronized void renameCollection(String dbName, String oldName, String newDbName, String newName) {
        DatabaseInfo db = meta.requireDatabase(dbName);
        DatabaseInfo newDb = meta.requireDatabase(newDbName.isEmpty() ? dbName : newDbName);
        if (meta.alias(db.getId(), oldName).isPresent()) {
            throw MilvusException.invalidParameter("unsupported use an alias to rename collection, alias:" + oldName);
        }
        CollectionInfo c = meta.collectionByName(db.getId(), oldName).filter(x -> x.getSchema().getName().equals(oldName))
                .orElseThrow(() -> new MilvusException(MilvusError.COLLECTION_NOT_FOUND,
                        "collection not found[database=" + dbName + "][collection=" + oldName + "]"));
        if (meta.collectionNameTaken(newDb.getId(), newName) || meta.alias(newDb.getId(), newName).isPresent()) {
            throw MilvusException.invalidParameter("duplicated new collection name " + newName + " in database " + newDb.getName() + " with other collection name or alias");
        }
        if (newDb.getId() != db.getId() && !meta.aliasesOf(db.getId(), c.getId()).isEmpty()) {
            throw MilvusException.invalidParameter("fail to rename collection to different database, must drop all aliases of collection " + oldName + " before rename");
        }
        meta.saveCollection(c.toBuilder().setDbId(newDb.getId())
                .setSchema(c.getSchema().toBuilder().setName(newName).setDbName(newDb.getName())).build());
    }

    @Override
    public synchronized void alterCollection(String dbName, String name, List<KeyValuePair> set, List<String> deleteKeys) {
        CollectionInfo c = describeCollection(dbName, name);
        meta.saveCollection(c.toBuilder().clearProperties()
                .addAllProperties(mergeProperties(c.getPropertiesList(), set, deleteKeys)).build());
    }

    private static List<KeyValuePair> mergeProperties(List<KeyValuePair> current, List<KeyValuePair> set, List<String> deleteKeys) {
        Map<String, String> merged = new LinkedHashMap<>();
        current.forEach(kv -> merged.put(kv.getKey(), kv.getValue()));
        set.forEach(kv -> merged.put(kv.getKey(), kv.getValue()));
        deleteKeys.forEach(merged::remove);
        List<KeyValuePair> out = new ArrayList<>();
        merged.forEach((k, v) -> out.add(KeyValuePair.newBuilder().setKey(k).setValue(v).build()));
        return out;
    }

    // ------------------------------------------------------------------ partitions

    @Override
    public void createPartition(String dbName, String collection, String partition) {
        try (ListenerQueue.Slot<CollectionListener> event = listeners.reserve()) {
            createPartition(event, dbName, collection, partition);
            event.awaitDelivered();
        }
    }

    private synchronized void createPartition(ListenerQueue.Slot<CollectionListener> event, String dbName,
                                              String collection, String partition) {
        CollectionInfo c = describeCollection(dbName, collection);
        if (c.getSchema().getFieldsList().stream().anyMatch(FieldSchema::getIsPartitionKey)) {
            throw MilvusException.invalidParameter("disable create partition if partition key mode is used");
        }
        if (c.getPartitionsList().stream().anyMatch(p -> p.getName().equals(partition))) {
            return;
        }
        int max = config.getInt(Params.MAX_PARTITION_NUM);
        if (c.getPartitionsCount() >= max) {
            throw MilvusException.invalidParameter("partition number (" + c.getPartitionsCount() + ") exceeds max configuration (" + max + "), collection: " + c.getSchema().getName());
        }
        PartitionInfo created = PartitionInfo.newBuilder().setId(ids.allocate(1))
                .setName(partition).setCreatedTs(tso.allocate(1)).build();
        CollectionInfo updated = c.toBuilder().addPartitions(created).build();
        meta.saveCollection(updated);
        event.publish(l -> l.onPartitionCreated(updated, created));
    }

    @Override
    public void dropPartition(String dbName, String collection, String partition) {
        try (ListenerQueue.Slot<CollectionListener> event = listeners.reserve()) {
            dropPartition(event, dbName, collection, partition);
            event.awaitDelivered();
        }
    }

    private synchronized void dropPartition(ListenerQueue.Slot<CollectionListener> event, String dbName,
                                            String collection, String partition) {
        CollectionInfo c = describeCollection(dbName, collection);
        if (c.getSchema().getFieldsList().stream().anyMatch(FieldSchema::getIsPartitionKey)) {
            throw MilvusException.invalidParameter("disable drop partition if partition key mode is used");
        }
        if (partition.equals(config.get(Params.DEFAULT_PARTITION_NAME))) {
            throw MilvusException.invalidParameter("default partition cannot be deleted");
        }
        Optional<PartitionInfo> p = c.getPartitionsList().stream().filter(x -> x.getName().equals(partition)).findFirst();
        if (p.isEmpty()) {
            return;
        }
        CollectionInfo.Builder b = c.toBuilder().clearPartitions();
        c.getPartitionsList().stream().filter(x -> x.getId() != p.get().getId()).forEach(b::addPartitions);
        meta.saveCollection(b.build());
        event.publish(l -> l.onPartitionDropped(c, p.get().getId()));
    }

    // ------------------------------------------------------------------ aliases

    @Override
    public synchronized void createAlias(String dbName, String alias, String collection) {
        DatabaseInfo db = meta.requireDatabase(dbName);
        if (meta.collectionNameTaken(db.getId(), alias)) {
            throw new MilvusException(MilvusError.ALIAS_COLLECTION_NAME_CONFLICT,
                    "alias and collection name conflict[database=" + dbName + "][alias=" + alias + "]");
        }
        if (meta.alias(db.getId(), collection).isPresent()) {
            throw MilvusException.invalidParameter("cannot create alias " + alias + " to an alias " + collection);
        }
        CollectionInfo c = describeCollection(dbName, collection);
        Optional<Long> current = meta.alias(db.getId(), alias);
        if (current.isPresent()) {
            if (current.get() == c.getId()) {
                return;
            }
            throw new MilvusException(MilvusError.ALIAS_ALREADY_EXIST,
                    "alias exists and already aliased to another collection, alias: " + alias
                            + ", collection: " + meta.collection(current.get()).map(x -> x.getSchema().getName()).orElse("")
                            + ", other collection: " + collection);
        }
        meta.saveAlias(db.getId(), alias, c.getId());
    }

    @Override
    public synchronized void dropAlias(String dbName, String alias) {
        DatabaseInfo db = meta.requireDatabase(dbName);
        if (meta.alias(db.getId(), alias).isPresent()) {
            meta.removeAlias(db.getId(), alias);
        }
    }

    @Override
    public synchronized void alterAlias(String dbName, String alias, String collection) {
        DatabaseInfo db = meta.requireDatabase(dbName);
        if (meta.alias(db.getId(), alias).isEmpty()) {
            throw MilvusException.withKey(MilvusError.ALIAS_NOT_FOUND, "alias", alias);
        }
        if (meta.alias(db.getId(), collection).isPresent()) {
            throw MilvusException.invalidParameter("cannot alter alias " + alias + " to an alias " + collection);
        }
        CollectionInfo c = describeCollection(dbName, collection);
        meta.saveAlias(db.getId(), alias, c.getId());
    }

    @Override
    public String describeAlias(String dbName, String alias) {
        DatabaseInfo db = meta.requireDatabase(dbName);
        long id = meta.alias(db.getId(), alias)
                .orElseThrow(() -> MilvusException.withKey(MilvusError.ALIAS_NOT_FOUND, "alias", alias));
        return meta.collection(id).map(c -> c.getSchema().getName()).orElse("");
    }

    @Override
    public List<String> listAliases(String dbName, String collectionOrEmpty) {
        DatabaseInfo db = meta.requireDatabase(dbName);
        if (collectionOrEmpty.isEmpty()) {
            return meta.aliases(db.getId());
        }
        return meta.aliasesOf(db.getId(), describeCollection(dbName, collectionOrEmpty).getId());
    }

    @Override
    public List<String> aliasesOf(CollectionInfo collection) {
        return meta.aliasesOf(collection.getDbId(), collection.getId());
    }
}
