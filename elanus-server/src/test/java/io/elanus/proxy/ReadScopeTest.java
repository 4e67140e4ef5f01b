package io.elanus.proxy;

import io.elanus.common.Config;
import io.elanus.common.MilvusError;
import io.elanus.common.MilvusException;
import io.elanus.proto.CollectionInfo;
import io.elanus.api.QueryCoordClient;
import io.elanus.api.QueryNodeClient;
import io.milvus.grpc.CollectionSchema;
import io.milvus.grpc.ConsistencyLevel;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Which shards a read may use: never part of a loaded collection (as after a restart, while it recovers). */
class ReadScopeTest {
    private static final CollectionInfo TWO_SHARDS = CollectionInfo.newBuilder().setId(7)
            .setSchema(CollectionSchema.newBuilder().setName("books"))
            .addVchannels("dml_0_7v0").addVchannels("dml_1_7v1").build();
    private static final QueryNodeClient NODE = (QueryNodeClient) java.lang.reflect.Proxy.newProxyInstance(
            QueryNodeClient.class.getClassLoader(), new Class<?>[]{QueryNodeClient.class}, (proxy, method, args) -> {
                throw new UnsupportedOperationException(method.getName());
            });

    private static ReadScope resolve(List<Long> loaded, Map<String, QueryNodeClient> shards) {
        QueryCoordClient queryCoord = new QueryCoordClient() {
            @Override
            public void load(long collectionId, List<Long> partitionIds, int replicas) {
            }

            @Override
            public void releaseCollection(long collectionId) {
            }

            @Override
            public void releasePartitions(long collectionId, List<Long> partitionIds) {
            }

            @Override
            public int loadingProgress(long collectionId, List<Long> partitionIds) {
                return loaded.isEmpty() ? -1 : shards.size() * 50;
            }

            @Override
            public List<Long> loadedPartitions(long collectionId) {
                return loaded;
            }

            @Override
            public Map<String, QueryNodeClient> shardLeaders(long collectionId) {
                return shards;
            }
        };
        return ReadScope.resolve(TWO_SHARDS, List.of(), new MetaCache(null, null, queryCoord), ConsistencyLevel.Eventually,
                false, 0, () -> 100, Config.defaults(), pchannels -> { });
    }

    @Test
    void aCollectionWithAShardNotYetPlacedIsNotFullyLoaded() {
        for (Map<String, QueryNodeClient> shards : List.of(Map.<String, QueryNodeClient>of(), Map.of("dml_0_7v0", NODE))) {
            MilvusException e = assertThrows(MilvusException.class, () -> resolve(List.of(1L), shards));
            assertEquals(MilvusError.COLLECTION_NOT_FULLY_LOADED, e.kind());
            assertEquals("collection not fully loaded[collection=books]", e.getMessage());
        }
    }

    @Test
    void aCollectionNotLoadedIsNotLoaded() {
        MilvusException e = assertThrows(MilvusException.class, () -> resolve(List.of(), Map.of()));
        assertEquals(MilvusError.COLLECTION_NOT_LOADED, e.kind());
        assertEquals("collection not loaded[collection=books]", e.getMessage());
    }

    @Test
    void everyShardPlacedIsRead() {
        Map<String, QueryNodeClient> shards = new HashMap<>(Map.of("dml_0_7v0", NODE, "dml_1_7v1", NODE));
        ReadScope scope = resolve(List.of(1L), shards);
        assertEquals(shards, scope.shards());
        assertEquals(List.of(1L), List.copyOf(scope.partitionIds()));
    }
}
