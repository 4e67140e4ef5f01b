package io.elanus.proxy;

import io.elanus.common.Config;
import io.elanus.common.MilvusError;
import io.elanus.common.MilvusException;
import io.elanus.common.Params;
import io.elanus.common.Tso;
import io.elanus.proto.CollectionInfo;
import io.elanus.proto.PartitionInfo;
import io.elanus.api.QueryNodeClient;
import io.milvus.grpc.ConsistencyLevel;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * What a search or query reads: the loaded shards of the collection, the partitions in scope and
 * the guarantee timestamp its consistency level asks for (Milvus: Strong = now, Bounded = now minus
 * common.gracefulTime, Eventually = 1, Session/Customized = the client's guarantee_timestamp).
 * "Now" is asked of the timestamp oracle only by the levels that need it.
 */
record ReadScope(CollectionInfo collection, Set<Long> partitionIds, Map<String, QueryNodeClient> shards, long guaranteeTs) {

    static ReadScope resolve(CollectionInfo c, List<String> partitionNames, MetaCache meta,
                             ConsistencyLevel requested, boolean useDefault, long clientGuaranteeTs, LongSupplier now,
                             Config config, TimeTickSender.ReadTick tickNow) {
        List<Long> loaded = loaded(c, meta);
        Map<String, QueryNodeClient> shards = leaders(c, meta);
        Set<Long> partitions = new HashSet<>();
        if (partitionNames.isEmpty()) {
            partitions.addAll(loaded);
        } else {
            for (String name : partitionNames) {
                PartitionInfo p = DdlHandler.partition(c, name);
                if (!loaded.contains(p.getId())) {
                    throw new MilvusException(MilvusError.PARTITION_NOT_LOADED, "partition not loaded[partition=" + name + "]");
                }
                partitions.add(p.getId());
            }
        }
        ConsistencyLevel level = useDefault ? c.getConsistencyLevel() : requested;
        long guarantee = switch (level) {
            case Strong -> now.getAsLong();
            case Bounded -> Tso.minusMillis(now.getAsLong(), config.getLong(Params.GRACEFUL_TIME));
            case Eventually -> 1;
            case Session, Customized -> clientGuaranteeTs == 0 ? 1 : Math.min(clientGuaranteeTs, now.getAsLong());
            default -> Tso.minusMillis(now.getAsLong(), config.getLong(Params.GRACEFUL_TIME));
        };
        if (level == ConsistencyLevel.Strong) {
            tickNow.tick(c.getPchannelsList());
        }
        return new ReadScope(c, partitions, shards, guarantee);
    }

    /** The same read on the shard leaders the coordinator names now (after a shard call failed on a cached one). */
    ReadScope rerouted(MetaCache meta) {
        meta.invalidateLoad(collection.getId());
        loaded(collection, meta);
        return new ReadScope(collection, partitionIds, leaders(collection, meta), guaranteeTs);
    }

    private static List<Long> loaded(CollectionInfo c, MetaCache meta) {
        List<Long> loaded = meta.loadedPartitions(c.getId());
        if (loaded.isEmpty()) {
            throw new MilvusException(MilvusError.COLLECTION_NOT_LOADED,
                    "collection not loaded[collection=" + c.getSchema().getName() + "]");
        }
        return loaded;
    }

    private static Map<String, QueryNodeClient> leaders(CollectionInfo c, MetaCache meta) {
        Map<String, QueryNodeClient> shards = meta.shardLeaders(c);
        if (shards.size() < c.getVchannelsCount()) {
            // Loaded, but a shard is still being recovered (after a restart) or lost its node: Milvus's
            // GetShardLeaders refuses rather than answer from part of the data.
            throw new MilvusException(MilvusError.COLLECTION_NOT_FULLY_LOADED,
                    "collection not fully loaded[collection=" + c.getSchema().getName() + "]");
        }
        return shards;
    }
}
