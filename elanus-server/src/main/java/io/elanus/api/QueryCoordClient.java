package io.elanus.api;

import io.elanus.api.QueryNodeClient;

import java.util.List;
import java.util.Map;

/** What the proxy asks of querycoord. */
public interface QueryCoordClient {

    /** Loads the whole collection ({@code partitionIds} empty) or some partitions. Returns at once; progress via {@link #loadingProgress}. */
    void load(long collectionId, List<Long> partitionIds, int replicas);

    void releaseCollection(long collectionId);

    void releasePartitions(long collectionId, List<Long> partitionIds);

    /** 0..100; -1 when neither the collection nor any of the partitions is loaded. */
    int loadingProgress(long collectionId, List<Long> partitionIds);

    /** Loaded partitions of a collection (empty when not loaded). */
    List<Long> loadedPartitions(long collectionId);

    /** The query node serving each vchannel of a loaded collection. */
    Map<String, QueryNodeClient> shardLeaders(long collectionId);
}
