package io.elanus.querycoord;

import com.google.protobuf.InvalidProtocolBufferException;
import io.elanus.proto.CollectionInfo;
import io.elanus.proto.LoadMeta;
import io.elanus.storage.kv.KvEntry;
import io.elanus.storage.kv.MetaKv;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The load targets in the meta store, one {@link LoadMeta} per loaded collection under
 * {@code querycoord/load/{collectionId}} (Milvus's querycoord keeps its collection and partition load
 * meta the same way): what the reconcile loop drives the query nodes towards, and what a restarted
 * querycoord loads again. Written by the reconcile loop's thread only.
 */
final class LoadTargets {
    static final String PREFIX = "querycoord/load/";

    private final MetaKv kv;

    LoadTargets(MetaKv kv) {
        this.kv = kv;
    }

    List<LoadMeta> readAll() throws InvalidProtocolBufferException {
        List<LoadMeta> out = new ArrayList<>();
        for (KvEntry e : kv.scanPrefix(PREFIX)) {
            out.add(LoadMeta.parseFrom(e.value()));
        }
        return out;
    }

    void save(LoadMeta target) {
        kv.put(PREFIX + target.getCollectionId(), target.toByteArray());
    }

    void delete(long collectionId) {
        kv.delete(PREFIX + collectionId);
    }

    /**
     * The target after a load request: loading the whole collection ({@code requested} empty) covers
     * every partition and stays whole; loading partitions adds them to those already loaded.
     *
     * @param existing the current target, or null
     */
    static LoadMeta afterLoad(LoadMeta existing, CollectionInfo c, List<Long> requested, int replicas, long ts) {
        Set<Long> parts = new LinkedHashSet<>();
        boolean whole = requested.isEmpty();
        if (existing != null) {
            whole |= existing.getWholeCollection();
            parts.addAll(existing.getPartitionIdsList());
        }
        if (whole) {
            parts.clear();
            c.getPartitionsList().forEach(p -> parts.add(p.getId()));
        } else {
            parts.addAll(requested);
        }
        return LoadMeta.newBuilder().setCollectionId(c.getId()).setWholeCollection(whole).addAllPartitionIds(parts)
                .setReplicaNumber(Math.max(1, replicas)).setLoadedTs(ts).build();
    }

    /** The target once {@code released} partitions are released; it no longer covers the whole collection. */
    static LoadMeta afterRelease(LoadMeta target, List<Long> released) {
        List<Long> left = new ArrayList<>(target.getPartitionIdsList());
        left.removeAll(released);
        return target.toBuilder().setWholeCollection(false).clearPartitionIds().addAllPartitionIds(left).build();
    }
}
