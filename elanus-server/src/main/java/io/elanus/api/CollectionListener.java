package io.elanus.api;

import io.elanus.proto.CollectionInfo;

/** Roles that keep per-collection state (datacoord's channels and segments, querycoord's loads) follow DDL through this. */
public interface CollectionListener {
    void onCollectionCreated(CollectionInfo collection);

    void onCollectionDropped(CollectionInfo collection);

    void onPartitionDropped(CollectionInfo collection, long partitionId);

    default void onPartitionCreated(CollectionInfo collection, io.elanus.proto.PartitionInfo partition) {
    }
}
