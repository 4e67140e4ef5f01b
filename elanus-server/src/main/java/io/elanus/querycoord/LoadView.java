package io.elanus.querycoord;

import io.elanus.api.QueryNodeClient;
import io.elanus.proto.CollectionInfo;
import io.elanus.proto.LoadMeta;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What readers (the proxy, datacoord's WAL truncation) see of querycoord: an immutable snapshot the
 * reconcile loop publishes after each round, so reads never wait for the loop nor see half a change.
 *
 * @param targets     load target per collection
 * @param collections the collections of the targets whose catalogue entry is known (a recovered target
 *                    is missing until its collection is read again from rootcoord)
 * @param loadTs      per collection, the timestamp its load was asked at: loaded once every channel's
 *                    tsafe passed it
 * @param serving     the query node serving each placed vchannel
 */
record LoadView(Map<Long, LoadMeta> targets, Map<Long, CollectionInfo> collections, Map<Long, Long> loadTs,
                Map<String, QueryNodeClient> serving) {
    static final LoadView EMPTY = new LoadView(Map.of(), Map.of(), Map.of(), Map.of());

    List<Long> loadedPartitions(long collectionId) {
        LoadMeta m = targets.get(collectionId);
        return m == null ? List.of() : m.getPartitionIdsList();
    }

    /** The serving node of each placed vchannel of a loaded collection. */
    Map<String, QueryNodeClient> shardLeaders(long collectionId) {
        CollectionInfo c = collections.get(collectionId);
        Map<String, QueryNodeClient> out = new HashMap<>();
        if (c != null && targets.containsKey(collectionId)) {
            for (String v : c.getVchannelsList()) {
                QueryNodeClient n = serving.get(v);
                if (n != null) {
                    out.put(v, n);
                }
            }
        }
        return out;
    }
}
