package io.elanus.api;

import io.elanus.proto.CollectionInfo;

/**
 * Roles that keep per-collection state (datacoord's channels and segments, querycoord's loads, the
 * proxies' meta caches) follow DDL through this.
 */
public interface CollectionListener {
    void onCollectionCreated(CollectionInfo collection);

    void onCollectionDropped(CollectionInfo collection);

    void onPartitionDropped(CollectionInfo collection, long partitionId);

    default void onPartitionCreated(CollectionInfo collection, io.elanus.proto.PartitionInfo partition) {
    }

    /**
     * Milvus's InvalidateCollectionMetaCache: what is cached of the collection named {@code collectionName}
     * (a name or an alias) in {@code db}, and of the collection with id {@code collectionId} (0 when unknown),
     * is stale. A proxy sends it through {@link RootCoordClient#invalidateCollectionMetaCache} after each DDL.
     */
    default void onCollectionMetaInvalidated(String db, String collectionName, long collectionId) {
    }

    /** Events may have been missed (the stream that carries them broke and was re-opened): re-read what is followed. */
    default void onCollectionEventsMissed() {
    }
}
