package io.elanus.proxy;

import io.elanus.api.CollectionListener;
import io.elanus.api.DataCoordClient;
import io.elanus.api.QueryCoordClient;
import io.elanus.api.QueryNodeClient;
import io.elanus.api.RootCoordClient;
import io.elanus.api.SegmentListener;
import io.elanus.proto.CollectionInfo;
import io.elanus.proto.IndexMeta;
import io.elanus.proto.PartitionInfo;
import io.elanus.proto.SegmentMeta;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The proxy's meta cache (Milvus's proxy {@code meta_cache.go}): collections by database and name or
 * alias, their index metadata, loaded partitions and shard leaders, so that a search or a write of a
 * known collection asks the coordinators for nothing but timestamps and segments.
 *
 * <p>Only complete, positive answers are kept: a collection not found, a collection not loaded, or
 * shard leaders missing a shard are asked again every time. What is kept goes
 * <ul>
 *   <li>on the coordinators' events: a collection created or dropped, a partition created or dropped,
 *       an index created;</li>
 *   <li>on {@link #onCollectionMetaInvalidated} (Milvus's InvalidateCollectionMetaCache), which every
 *       proxy's DDL sends to all proxies once the DDL is done ({@link MetaDdl});</li>
 *   <li>for shard leaders and loaded partitions, when a call to a shard fails ({@link ShardFanOut});</li>
 *   <li>entirely, when an event stream broke and events may have been lost ({@link #onCollectionEventsMissed}).</li>
 * </ul>
 *
 * <p>Concurrency: lookups read concurrent maps without a lock and ask the coordinators with no lock
 * held. Invalidations and stores are made under this object's monitor, and every invalidation moves
 * {@link #epoch} on: a store is dropped when the epoch moved since its lookup began, so an answer
 * fetched before a DDL is never kept after that DDL's invalidation. Listener calls come from the
 * coordinators (in-process: under their locks), so nothing here calls a coordinator under the monitor.
 */
final class MetaCache implements CollectionListener, SegmentListener {
    private record Name(String db, String nameOrAlias) {
    }

    private final RootCoordClient rootCoord;
    private final DataCoordClient dataCoord;
    private final QueryCoordClient queryCoord;
    private final Map<Name, CollectionInfo> collections = new ConcurrentHashMap<>();
    private final Map<Long, List<IndexMeta>> indexes = new ConcurrentHashMap<>();
    private final Map<Long, List<Long>> loadedPartitions = new ConcurrentHashMap<>();
    private final Map<Long, Map<String, QueryNodeClient>> shardLeaders = new ConcurrentHashMap<>();
    /** Moved on by every invalidation; written under the monitor. */
    private volatile long epoch;

    MetaCache(RootCoordClient rootCoord, DataCoordClient dataCoord, QueryCoordClient queryCoord) {
        this.rootCoord = rootCoord;
        this.dataCoord = dataCoord;
        this.queryCoord = queryCoord;
    }

    /** Follows the collection and segment events from now on. */
    void subscribe() {
        rootCoord.addCollectionListener(this);
        dataCoord.addSegmentListener(this);
    }

    // ------------------------------------------------------------------ lookups

    /** The collection named {@code nameOrAlias} in {@code db}; the coordinator's error when there is none. */
    CollectionInfo collection(String db, String nameOrAlias) {
        return lookup(collections, new Name(db, nameOrAlias), () -> rootCoord.describeCollection(db, nameOrAlias), c -> true);
    }

    List<IndexMeta> indexes(long collectionId) {
        return lookup(indexes, collectionId, () -> List.copyOf(dataCoord.indexes(collectionId)), i -> true);
    }

    /** Loaded partitions; empty (and not kept) when the collection is not loaded. */
    List<Long> loadedPartitions(long collectionId) {
        return lookup(loadedPartitions, collectionId, () -> List.copyOf(queryCoord.loadedPartitions(collectionId)),
                p -> !p.isEmpty());
    }

    /** The query node leading each shard; kept only when every shard of {@code c} has one. */
    Map<String, QueryNodeClient> shardLeaders(CollectionInfo c) {
        // Not copied: the iteration order of the coordinator's map is the order shards are reduced in.
        return lookup(shardLeaders, c.getId(), () -> queryCoord.shardLeaders(c.getId()),
                l -> !l.isEmpty() && l.keySet().containsAll(c.getVchannelsList()));
    }

    /**
     * The cached value, or the coordinator's answer, kept when it is complete and no invalidation ran while it was
     * fetched (the fetch itself holds no lock: it is a remote call).
     */
    private <K, V> V lookup(Map<K, V> map, K key, Supplier<V> fetch, Predicate<V> complete) {
        V cached = map.get(key);
        if (cached != null) {
            return cached;
        }
        long seen = epoch;
        V fetched = fetch.get();
        if (complete.test(fetched)) {
            store(map, key, fetched, seen);
        }
        return fetched;
    }

    private synchronized <K, V> void store(Map<K, V> map, K key, V value, long seenEpoch) {
        if (epoch == seenEpoch) {
            map.put(key, value);
        }
    }

    // ------------------------------------------------------------------ invalidation

    /**
     * Forgets the collection named {@code nameOrAlias} in {@code db} (and every alias of it, and every
     * name of the collection {@code collectionId} when that is not 0), with its indexes, loaded
     * partitions and shard leaders.
     */
    synchronized void invalidateCollection(String db, String nameOrAlias, long collectionId) {
        Set<Long> ids = new HashSet<>();
        if (collectionId != 0) {
            ids.add(collectionId);
        }
        collections.forEach((key, c) -> {
            if (key.db().equals(db) && (key.nameOrAlias().equals(nameOrAlias) || c.getSchema().getName().equals(nameOrAlias))) {
                ids.add(c.getId());
            }
        });
        forget(c -> ids.contains(c.getId()), ids);
        collections.keySet().removeIf(key -> key.db().equals(db) && key.nameOrAlias().equals(nameOrAlias));
    }

    /** Forgets everything of one collection. */
    synchronized void invalidateCollection(long collectionId) {
        forget(c -> c.getId() == collectionId, Set.of(collectionId));
    }

    /** Forgets every collection of a database. */
    synchronized void invalidateDatabase(String db) {
        Set<Long> ids = new HashSet<>();
        collections.forEach((key, c) -> {
            if (key.db().equals(db)) {
                ids.add(c.getId());
            }
        });
        forget(c -> ids.contains(c.getId()), ids);
        collections.keySet().removeIf(key -> key.db().equals(db));
    }

    /** Loaded partitions and shard leaders are asked again (after a load or release, or a failed shard call). */
    synchronized void invalidateLoad(long collectionId) {
        epoch++;
        loadedPartitions.remove(collectionId);
        shardLeaders.remove(collectionId);
    }

    synchronized void invalidateIndexes(long collectionId) {
        epoch++;
        indexes.remove(collectionId);
    }

    synchronized void invalidateAll() {
        epoch++;
        collections.clear();
        indexes.clear();
        loadedPartitions.clear();
        shardLeaders.clear();
    }

    /** Under the monitor: drops the matching collections and what is kept by the ids. */
    private void forget(Predicate<CollectionInfo> collection, Set<Long> ids) {
        epoch++;
        collections.values().removeIf(collection);
        for (long id : ids) {
            indexes.remove(id);
            loadedPartitions.remove(id);
            shardLeaders.remove(id);
        }
    }

    // ------------------------------------------------------------------ events

    /** A stale entry could only be of an earlier collection of the same name: forget any. */
    @Override
    public synchronized void onCollectionCreated(CollectionInfo collection) {
        forgetSameName(collection);
    }

    @Override
    public synchronized void onCollectionDropped(CollectionInfo collection) {
        forgetSameName(collection);
    }

    private void forgetSameName(CollectionInfo collection) {
        forget(c -> c.getId() == collection.getId() || (c.getDbId() == collection.getDbId()
                && c.getSchema().getName().equals(collection.getSchema().getName())), Set.of(collection.getId()));
    }

    @Override
    public void onPartitionCreated(CollectionInfo collection, PartitionInfo partition) {
        invalidateCollection(collection.getId());
    }

    @Override
    public void onPartitionDropped(CollectionInfo collection, long partitionId) {
        invalidateCollection(collection.getId());
    }

    @Override
    public void onCollectionMetaInvalidated(String db, String collectionName, long collectionId) {
        invalidateCollection(db, collectionName, collectionId);
    }

    @Override
    public void onIndexCreated(IndexMeta index) {
        invalidateIndexes(index.getCollectionId());
    }

    /** Flushes change no metadata a search or write reads. */
    @Override
    public void onSegmentFlushed(SegmentMeta segment) {
    }

    @Override
    public void onCollectionEventsMissed() {
        invalidateAll();
    }

    @Override
    public void onSegmentEventsMissed() {
        invalidateAll();
    }
}
