package io.elanus.querynode;

import io.elanus.api.FilterText;
import io.elanus.api.Hit;
import io.elanus.api.QueryNodeClient;
import io.elanus.api.QuerySpec;
import io.elanus.api.SearchSpec;

import io.elanus.session.RoleComponent;
import io.elanus.common.MilvusError;
import io.elanus.common.MilvusException;
import io.elanus.expr.FilterCompiler;
import io.elanus.expr.FilterPlan;
import io.elanus.proto.CollectionInfo;
import io.elanus.proto.SegmentMeta;
import io.elanus.storage.kv.MetaKv;
import io.elanus.storage.object.ObjectStore;
import io.elanus.storage.wal.Wal;
import io.milvus.grpc.StateCode;
import io.elanus.vector.VectorIndexes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A query node: one {@link ShardDelegator} per vchannel it serves, plus the vector indexes of its
 * sealed segments. Thread-safe: delegators are registered in a concurrent map and guard their
 * own state.
 */
public final class QueryNode extends RoleComponent implements QueryNodeClient {
    private final Wal wal;
    private final SegmentLoader loader;
    private final Map<String, ShardDelegator> delegators = new ConcurrentHashMap<>();
    private final Map<String, CollectionInfo> collectionOf = new ConcurrentHashMap<>();
    private final Map<Long, SegmentIndex> indexes = new ConcurrentHashMap<>();
    private final ObjectStore objects;
    private final Path indexCache;
    private volatile boolean stopped;

    /** @param indexCache local directory where index files are copied to be memory-mapped */
    public QueryNode(long nodeId, MetaKv kv, Wal wal, ObjectStore objects, Path indexCache) {
        super(kv, nodeId);
        this.wal = wal;
        this.objects = objects;
        this.indexCache = indexCache;
        this.loader = new SegmentLoader(objects);
    }

    @Override
    public long nodeId() {
        return serverId();
    }

    @Override
    public String roleName() {
        return "querynode";
    }

    @Override
    public void init() {
        state(StateCode.Initializing);
    }

    @Override
    public void start() {
        state(StateCode.Healthy);
    }


    /** The channels this node cannot follow now (a WAL message it cannot apply, the WAL unreadable). */
    @Override
    public List<String> activeFaults() {
        return delegators.values().stream().map(ShardDelegator::fault).filter(Objects::nonNull).toList();
    }

    @Override
    public void stop() {
        stopped = true;
        delegators.values().forEach(ShardDelegator::close);
        delegators.clear();
        unregister();
    }


    @Override
    public void watchChannel(CollectionInfo collection, String vchannel, long startOffset, Collection<SegmentMeta> flushed) {
        if (stopped) {
            // Shutting down while querycoord still recovers loaded collections: nothing is served any more.
            return;
        }
        List<SegmentMeta> mine = flushed.stream().filter(s -> s.getVchannel().equals(vchannel)).toList();
        delegators.computeIfAbsent(vchannel, v -> {
            ShardDelegator d = new ShardDelegator(collection, v, wal, startOffset, loader);
            collectionOf.put(v, collection);
            d.start(mine);
            return d;
        });
    }

    @Override
    public void onSegmentFlushed(SegmentMeta segment) {
        ShardDelegator d = delegators.get(segment.getVchannel());
        if (d != null) {
            d.onSegmentFlushed(segment);
        }
    }

    @Override
    public void loadIndex(long collectionId, long segmentId, long fieldId, String objectKey) {
        byte[] bytes = objects.get(objectKey).orElseThrow(() -> new IllegalStateException("missing index file " + objectKey));
        try {
            Files.createDirectories(indexCache);
            Path file = indexCache.resolve(segmentId + "-" + fieldId + ".idx");
            Files.write(file, bytes);
            indexes.put(segmentId, new SegmentIndex(collectionId, fieldId, VectorIndexes.load(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load index " + objectKey, e);
        }
    }

    @Override
    public void releaseCollection(long collectionId) {
        indexes.values().removeIf(i -> i.collectionId() == collectionId);
        for (Map.Entry<String, CollectionInfo> e : List.copyOf(collectionOf.entrySet())) {
            if (e.getValue().getId() == collectionId) {
                ShardDelegator d = delegators.remove(e.getKey());
                collectionOf.remove(e.getKey());
                if (d != null) {
                    d.close();
                }
            }
        }
    }

    @Override
    public void releaseChannel(String vchannel) {
        ShardDelegator d = delegators.remove(vchannel);
        collectionOf.remove(vchannel);
        if (d != null) {
            indexes.keySet().removeIf(d::holdsSealed);
            d.close();
        }
    }

    @Override
    public long walPosition(String vchannel) {
        ShardDelegator d = delegators.get(vchannel);
        return d == null ? -1 : d.walPosition();
    }

    @Override
    public long tsafe(String vchannel) {
        ShardDelegator d = delegators.get(vchannel);
        return d == null ? -1 : d.tsafe();
    }

    @Override
    public List<List<Hit>> search(String vchannel, SearchSpec spec, long timeoutMs) {
        ShardDelegator d = delegator(vchannel);
        FilterPlan filter = compile(spec.filter(), d);
        return d.read(spec.guaranteeTs(), timeoutMs,
                (segs, mvcc) -> SegmentSearcher.search(segs, mvcc, spec, filter, d.pkFieldId(), indexes));
    }

    @Override
    public List<Hit> query(String vchannel, QuerySpec spec, long timeoutMs) {
        ShardDelegator d = delegator(vchannel);
        FilterPlan filter = compile(spec.filter(), d);
        return d.read(spec.guaranteeTs(), timeoutMs, (segs, mvcc) -> SegmentSearcher.query(segs, mvcc, spec, filter, d.pkFieldId()));
    }

    @Override
    public long count(String vchannel, QuerySpec spec, long timeoutMs) {
        ShardDelegator d = delegator(vchannel);
        FilterPlan filter = compile(spec.filter(), d);
        return d.read(spec.guaranteeTs(), timeoutMs, (segs, mvcc) -> SegmentSearcher.count(segs, mvcc, spec, filter));
    }

    /** Compiles a read's filter once, against the schema of the collection the channel serves (null: no filter). */
    private static FilterPlan compile(FilterText filter, ShardDelegator d) {
        return filter == null ? null : FilterCompiler.compile(filter.expression(), d.schema(), filter.templateValues());
    }

    @Override
    public Map<Long, Long> loadedSegments(long collectionId) {
        Map<Long, Long> out = new HashMap<>();
        collectionOf.forEach((v, c) -> {
            if (c.getId() == collectionId) {
                ShardDelegator d = delegators.get(v);
                if (d != null) {
                    d.read(0, 1000, (segs, mvcc) -> {
                        segs.forEach(s -> out.put(s.id, s.rowCount()));
                        return null;
                    });
                }
            }
        });
        return out;
    }

    private ShardDelegator delegator(String vchannel) {
        ShardDelegator d = delegators.get(vchannel);
        if (d == null) {
            throw new MilvusException(MilvusError.CHANNEL_NOT_FOUND, "channel not found[channel=" + vchannel + "]");
        }
        return d;
    }
}
