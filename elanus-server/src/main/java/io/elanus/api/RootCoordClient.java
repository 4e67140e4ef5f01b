package io.elanus.api;

import io.elanus.proto.CollectionInfo;
import io.elanus.proto.DatabaseInfo;
import io.milvus.grpc.CollectionSchema;
import io.milvus.grpc.ConsistencyLevel;
import io.milvus.grpc.KeyValuePair;

import java.util.List;
import java.util.Optional;

/**
 * What other roles ask of rootcoord: the timestamp oracle, ID allocation and the catalogue of
 * databases, collections, partitions and aliases. Failures are {@link io.elanus.common.MilvusException}s.
 */
public interface RootCoordClient {

    long allocTimestamp();

    /**
     * Reserves {@code count} consecutive timestamps; returns the first. They are as fresh as the
     * call: a caller that needs "now" later must not use what is left of a range.
     */
    long allocTimestamps(int count);

    /**
     * Cluster mode: the proxy has written every DML with a timestamp below {@code safeTs}; rootcoord
     * ticks the DML channels at the minimum over live proxies. A proxy reports before it serves.
     */
    void reportProxyTimeTick(long proxyId, long safeTs);

    /** Reserves {@code count} IDs; returns the first. */
    long allocIds(int count);

    void createDatabase(String name, List<KeyValuePair> properties);

    void dropDatabase(String name);

    List<DatabaseInfo> listDatabases();

    DatabaseInfo describeDatabase(String name);

    void alterDatabase(String name, List<KeyValuePair> set, List<String> deleteKeys);

    /** Creates a collection from a validated schema (field IDs are assigned here). Idempotent for an identical schema. */
    CollectionInfo createCollection(String db, CollectionSchema schema, int shardsNum, ConsistencyLevel level,
                                    List<KeyValuePair> properties, int numPartitions);

    void dropCollection(String db, String name);

    /** By collection name or alias. */
    Optional<CollectionInfo> findCollection(String db, String nameOrAlias);

    /** By collection name or alias; collection-not-found error otherwise. */
    CollectionInfo describeCollection(String db, String nameOrAlias);

    Optional<CollectionInfo> collectionById(long id);

    List<CollectionInfo> listCollections(String db);

    void renameCollection(String db, String oldName, String newDb, String newName);

    void alterCollection(String db, String name, List<KeyValuePair> set, List<String> deleteKeys);

    void createPartition(String db, String collection, String partition);

    void dropPartition(String db, String collection, String partition);

    void createAlias(String db, String alias, String collection);

    void dropAlias(String db, String alias);

    void alterAlias(String db, String alias, String collection);

    /** The collection name an alias points at. */
    String describeAlias(String db, String alias);

    List<String> listAliases(String db, String collectionOrEmpty);

    List<String> aliasesOf(CollectionInfo collection);

    /**
     * Subscribes to the collection events; returns once subscribed. In another process the listener runs on
     * a thread of the subscription, and the rootcoord's DDL waits for it; {@link CollectionListener#onCollectionEventsMissed}
     * runs after a broken stream is re-opened.
     */
    void addCollectionListener(CollectionListener listener);

    /**
     * Milvus's InvalidateCollectionMetaCache: every collection listener (every proxy's meta cache) hears
     * {@link CollectionListener#onCollectionMetaInvalidated} before this returns. A proxy calls it after a
     * DDL, so that no proxy keeps serving what the DDL changed.
     */
    void invalidateCollectionMetaCache(String db, String collectionName, long collectionId);
}
