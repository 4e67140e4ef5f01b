package io.elanus.proxy;

import com.google.protobuf.InvalidProtocolBufferException;
import io.elanus.common.Config;
import io.elanus.common.MilvusError;
import io.elanus.common.MilvusException;
import io.elanus.common.Params;
import io.elanus.common.Tso;
import io.elanus.api.DataCoordClient;
import io.elanus.proto.CollectionInfo;
import io.elanus.proto.DatabaseInfo;
import io.elanus.proto.PartitionInfo;
import io.elanus.proto.SegmentMeta;
import io.elanus.proto.SegmentStateInternal;
import io.elanus.api.QueryCoordClient;
import io.elanus.api.RootCoordClient;
import io.milvus.grpc.CollectionSchema;
import io.milvus.grpc.ConsistencyLevel;
import io.milvus.grpc.CreateCollectionRequest;
import io.milvus.grpc.DescribeCollectionResponse;
import io.milvus.grpc.DescribeDatabaseResponse;
import io.milvus.grpc.FieldSchema;
import io.milvus.grpc.GetCollectionStatisticsResponse;
import io.milvus.grpc.GetPartitionStatisticsResponse;
import io.milvus.grpc.KeyValuePair;
import io.milvus.grpc.ListDatabasesResponse;
import io.milvus.grpc.ShowCollectionsResponse;
import io.milvus.grpc.ShowPartitionsResponse;
import io.milvus.grpc.ShowType;

import java.util.List;
import java.util.Set;

/**
 * Databases, collections, partitions and aliases: the proxy side of DDL (validation, then rootcoord).
 * Every DDL ends with the meta caches forgetting what it touched, whether it succeeded or not ({@link MetaExpiry}).
 */
final class DdlHandler {
    private final RootCoordClient rootCoord;
    private final DataCoordClient dataCoord;
    private final QueryCoordClient queryCoord;
    private final MetaExpiry expiry;
    private final Config config;
    private final SchemaValidator schemas;

    DdlHandler(RootCoordClient rootCoord, DataCoordClient dataCoord, QueryCoordClient queryCoord, MetaExpiry expiry, Config config) {
        this.rootCoord = rootCoord;
        this.dataCoord = dataCoord;
        this.queryCoord = queryCoord;
        this.expiry = expiry;
        this.config = config;
        this.schemas = new SchemaValidator(config);
    }

    private int maxName() {
        return config.getInt(Params.PROXY_MAX_NAME_LENGTH);
    }

    // ------------------------------------------------------------------ databases

    void createDatabase(String name, List<KeyValuePair> props) {
        Names.validate("database", name, maxName());
        rootCoord.createDatabase(name, props);
    }

    void dropDatabase(String name) {
        if (name.isEmpty()) {
            // Milvus's ValidateDatabaseName: merr.WrapErrDatabaseNameInvalid(name, "database name couldn't be empty").
            throw new MilvusException(MilvusError.DATABASE_INVALID_NAME,
                    "database name couldn't be empty: " + MilvusError.DATABASE_INVALID_NAME.message + "[database=]");
        }
        try {
            rootCoord.dropDatabase(name);
        } finally {
            expiry.database(name);
        }
    }

    void alterDatabase(String name, List<KeyValuePair> set, List<String> deleteKeys) {
        try {
            rootCoord.alterDatabase(name, set, deleteKeys);
        } finally {
            expiry.database(name);
        }
    }

    /** Milvus checks the name first (an empty one is refused, not treated as "nothing to drop"). */
    void dropCollection(String db, String name) {
        if (name.trim().isEmpty()) {
            throw MilvusException.invalidParameter("collection name should not be empty");
        }
        try {
            rootCoord.dropCollection(db, name);
        } finally {
            expiry.collection(db, name, 0);
        }
    }

    ListDatabasesResponse listDatabases() {
        ListDatabasesResponse.Builder b = ListDatabasesResponse.newBuilder();
        for (DatabaseInfo db : rootCoord.listDatabases()) {
            b.addDbNames(db.getName()).addCreatedTimestamp(db.getCreatedTs()).addDbIds(db.getId());
        }
        return b.build();
    }

    DescribeDatabaseResponse describeDatabase(String name) {
        DatabaseInfo db = rootCoord.describeDatabase(name);
        return DescribeDatabaseResponse.newBuilder().setDbName(db.getName()).setDbID(db.getId())
                .setCreatedTimestamp(db.getCreatedTs()).addAllProperties(db.getPropertiesList()).build();
    }

    // ------------------------------------------------------------------ collections

    void createCollection(String db, CreateCollectionRequest req) {
        CollectionSchema schema;
        try {
            schema = CollectionSchema.parseFrom(req.getSchema());
        } catch (InvalidProtocolBufferException e) {
            throw MilvusException.invalidParameter("failed to unmarshal collection schema");
        }
        String name = req.getCollectionName();
        if (!schema.getName().isEmpty() && !schema.getName().equals(name)) {
            throw MilvusException.invalidParameter("collection name [" + name + "] not matches schema name [" + schema.getName() + "]");
        }
        CollectionSchema validated = schemas.validate(schema, name);
        int shards = req.getShardsNum() <= 0 ? 1 : req.getShardsNum();
        int maxShards = config.getInt(Params.PROXY_MAX_SHARD_NUM);
        if (shards > maxShards) {
            throw MilvusException.invalidParameter("maximum shards's number should be limited to " + maxShards);
        }
        int numPartitions = 0;
        if (validated.getFieldsList().stream().anyMatch(FieldSchema::getIsPartitionKey)) {
            numPartitions = req.getNumPartitions() <= 0 ? 16 : (int) req.getNumPartitions();
            if (numPartitions > config.getInt(Params.MAX_PARTITION_NUM)) {
                throw MilvusException.invalidParameter("partition number (" + numPartitions + ") exceeds max configuration ("
                        + config.getInt(Params.MAX_PARTITION_NUM) + ")");
            }
        } else if (req.getNumPartitions() > 0) {
            throw MilvusException.invalidParameter("num_partitions should only be specified with partition key field enabled");
        }
        ConsistencyLevel level = req.getConsistencyLevel() == ConsistencyLevel.UNRECOGNIZED ? ConsistencyLevel.Bounded : req.getConsistencyLevel();
        try {
            rootCoord.createCollection(db, validated, shards, level, req.getPropertiesList(), numPartitions);
        } finally {
            expiry.collection(db, name, 0);
        }
    }

    void renameCollection(String db, String oldName, String newDb, String newName) {
        Names.validate("collection", newName, maxName());
        try {
            rootCoord.renameCollection(db, oldName, newDb, newName);
        } finally {
            expiry.collection(db, oldName, 0);
            expiry.collection(newDb.isEmpty() ? db : newDb, newName, 0);
        }
    }

    void alterCollection(String db, String name, List<KeyValuePair> set, List<String> deleteKeys) {
        try {
            rootCoord.alterCollection(db, name, set, deleteKeys);
        } finally {
            expiry.collection(db, name, 0);
        }
    }

    DescribeCollectionResponse describeCollection(String db, String name, long id) {
        CollectionInfo c = id > 0 && name.isEmpty()
                ? rootCoord.collectionById(id).orElseThrow(() -> MilvusException.withKey(MilvusError.COLLECTION_NOT_FOUND, "collection", id))
                : rootCoord.describeCollection(db, name);
        // Milvus hides the dynamic field "$meta" from DescribeCollection; clients see enable_dynamic_field.
        CollectionSchema.Builder visible = c.getSchema().toBuilder().clearFields();
        c.getSchema().getFieldsList().stream().filter(f -> !f.getIsDynamic()).forEach(visible::addFields);
        return DescribeCollectionResponse.newBuilder()
                .setSchema(visible).setCollectionID(c.getId())
                .addAllVirtualChannelNames(c.getVchannelsList()).addAllPhysicalChannelNames(c.getPchannelsList())
                .setCreatedTimestamp(c.getCreatedTs()).setCreatedUtcTimestamp(Tso.physicalMillis(c.getCreatedTs()))
                .setShardsNum(c.getShardsNum()).addAllAliases(rootCoord.aliasesOf(c))
                .setConsistencyLevel(c.getConsistencyLevel()).setCollectionName(c.getSchema().getName())
                .addAllProperties(c.getPropertiesList()).setDbName(db).setNumPartitions(c.getNumPartitions())
                .setDbId(c.getDbId()).build();
    }

    ShowCollectionsResponse showCollections(String db, List<String> names, ShowType type) {
        ShowCollectionsResponse.Builder b = ShowCollectionsResponse.newBuilder();
        for (CollectionInfo c : rootCoord.listCollections(db)) {
            if (!names.isEmpty() && !names.contains(c.getSchema().getName())) {
                continue;
            }
            int progress = queryCoord.loadingProgress(c.getId(), List.of());
            if (type == ShowType.InMemory && progress < 0) {
                continue;
            }
            b.addCollectionNames(c.getSchema().getName()).addCollectionIds(c.getId())
                    .addCreatedTimestamps(c.getCreatedTs()).addCreatedUtcTimestamps(Tso.physicalMillis(c.getCreatedTs()))
                    .addInMemoryPercentages(Math.max(progress, 0)).addQueryServiceAvailable(progress == 100)
                    .addShardsNum(c.getShardsNum());
        }
        if (!names.isEmpty()) {
            for (String n : names) {
                if (!b.getCollectionNamesList().contains(n)) {
                    throw new MilvusException(MilvusError.COLLECTION_NOT_FOUND,
                            "collection not found[database=" + db + "][collection=" + n + "]");
                }
            }
        }
        return b.build();
    }

    /** Row count of a collection: flushed rows plus rows buffered in growing segments (approximate after deletes, as in Milvus). */
    GetCollectionStatisticsResponse collectionStatistics(String db, String name) {
        CollectionInfo c = rootCoord.describeCollection(db, name);
        return GetCollectionStatisticsResponse.newBuilder()
                .addStats(KeyValuePair.newBuilder().setKey("row_count").setValue(Long.toString(rowCount(c.getId(), null))))
                .build();
    }

    GetPartitionStatisticsResponse partitionStatistics(String db, String name, String partition) {
        CollectionInfo c = rootCoord.describeCollection(db, name);
        PartitionInfo p = partition(c, partition);
        return GetPartitionStatisticsResponse.newBuilder()
                .addStats(KeyValuePair.newBuilder().setKey("row_count").setValue(Long.toString(rowCount(c.getId(), p.getId()))))
                .build();
    }

    private long rowCount(long collectionId, Long partitionId) {
        long rows = 0;
        for (SegmentMeta s : dataCoord.segments(collectionId)) {
            if (s.getLevel() == 0 || (partitionId != null && s.getPartitionId() != partitionId)) {
                continue;
            }
            rows += s.getState() == SegmentStateInternal.FLUSHED ? s.getNumRows() : dataCoord.bufferedRows(s.getId());
        }
        return rows;
    }

    // ------------------------------------------------------------------ partitions

    void createPartition(String db, String collection, String partition) {
        Names.validatePartition(partition, maxName());
        CollectionInfo c = rootCoord.describeCollection(db, collection);
        if (c.getPartitionsList().stream().anyMatch(p -> p.getName().equals(partition))) {
            throw MilvusException.invalidParameter("partition already exists[partition=" + partition + "]");
        }
        try {
            rootCoord.createPartition(db, collection, partition);
        } finally {
            expiry.collection(db, collection, c.getId());
        }
    }

    void dropPartition(String db, String collection, String partition) {
        CollectionInfo c = rootCoord.describeCollection(db, collection);
        c.getPartitionsList().stream().filter(p -> p.getName().equals(partition)).findFirst().ifPresent(p -> {
            if (queryCoord.loadedPartitions(c.getId()).contains(p.getId())) {
                throw MilvusException.invalidParameter("partition cannot be dropped, partition is loaded, please release it first");
            }
        });
        try {
            rootCoord.dropPartition(db, collection, partition);
        } finally {
            expiry.collection(db, collection, c.getId());
        }
    }

    boolean hasPartition(String db, String collection, String partition) {
        return rootCoord.describeCollection(db, collection).getPartitionsList().stream().anyMatch(p -> p.getName().equals(partition));
    }

    ShowPartitionsResponse showPartitions(String db, String collection, List<String> names) {
        CollectionInfo c = rootCoord.describeCollection(db, collection);
        Set<Long> loaded = Set.copyOf(queryCoord.loadedPartitions(c.getId()));
        // Loading is asynchronous: a loaded partition is in memory as far as its collection's load got.
        int progress = loaded.isEmpty() ? 0 : Math.max(0, queryCoord.loadingProgress(c.getId(), List.of()));
        ShowPartitionsResponse.Builder b = ShowPartitionsResponse.newBuilder();
        for (PartitionInfo p : c.getPartitionsList()) {
            if (!names.isEmpty() && !names.contains(p.getName())) {
                continue;
            }
            b.addPartitionNames(p.getName()).addPartitionIDs(p.getId()).addCreatedTimestamps(p.getCreatedTs())
                    .addCreatedUtcTimestamps(Tso.physicalMillis(p.getCreatedTs()))
                    .addInMemoryPercentages(loaded.contains(p.getId()) ? progress : 0);
        }
        return b.build();
    }

    static PartitionInfo partition(CollectionInfo c, String name) {
        return c.getPartitionsList().stream().filter(p -> p.getName().equals(name)).findFirst()
                .orElseThrow(() -> MilvusException.withKey(MilvusError.PARTITION_NOT_FOUND, "partition", name));
    }

    // ------------------------------------------------------------------ aliases

    void createAlias(String db, String alias, String collection) {
        Names.validate("alias", alias, maxName());
        try {
            rootCoord.createAlias(db, alias, collection);
        } finally {
            expiry.collection(db, alias, 0);
            expiry.collection(db, collection, 0);
        }
    }

    void alterAlias(String db, String alias, String collection) {
        Names.validate("alias", alias, maxName());
        try {
            rootCoord.alterAlias(db, alias, collection);
        } finally {
            expiry.collection(db, alias, 0);
            expiry.collection(db, collection, 0);
        }
    }

    void dropAlias(String db, String alias) {
        try {
            rootCoord.dropAlias(db, alias);
        } finally {
            expiry.collection(db, alias, 0);
        }
    }
}
