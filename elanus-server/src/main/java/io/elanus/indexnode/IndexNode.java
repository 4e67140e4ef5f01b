package io.elanus.indexnode;

import io.elanus.vector.IndexSpecs;

import io.elanus.session.RoleComponent;
import io.elanus.common.NamedThreads;
import io.elanus.api.DataCoordClient;
import io.elanus.api.SegmentListener;
import io.elanus.proto.CollectionInfo;
import io.elanus.proto.FieldBinlog;
import io.elanus.proto.IndexMeta;
import io.elanus.proto.SegmentIndexMeta;
import io.elanus.proto.SegmentMeta;
import io.elanus.proto.SegmentStateInternal;
import io.elanus.api.RootCoordClient;
import io.elanus.segment.BinlogFormat;
import io.elanus.segment.Column;
import io.elanus.segment.CorruptBinlogException;
import io.elanus.storage.kv.MetaKv;
import io.elanus.storage.object.ObjectStore;
import io.elanus.vector.VectorIndex;
import io.elanus.vector.VectorIndexes;
import io.milvus.grpc.FieldSchema;
import io.milvus.grpc.IndexState;
import io.milvus.grpc.StateCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Builds the vector index of every flushed segment for every index that needs a build (not the
 * exact FLAT kinds): when an index is created, when a segment is flushed, and on start-up for
 * whatever was left unbuilt. Each build reads the segment's vector binlog, builds the index,
 * writes the index file to the object store and records it in datacoord. Builds run one at a
 * time on the node's own thread; {@code pending} keeps a build from being queued twice.
 */
public final class IndexNode extends RoleComponent implements SegmentListener {
    private static final Logger LOG = LoggerFactory.getLogger(IndexNode.class);

    private final DataCoordClient dataCoord;
    private final RootCoordClient rootCoord;
    private final ObjectStore objects;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private ExecutorService builder;

    public IndexNode(long nodeId, MetaKv kv, DataCoordClient dataCoord, RootCoordClient rootCoord, ObjectStore objects) {
        super(kv, nodeId);
        this.dataCoord = dataCoord;
        this.rootCoord = rootCoord;
        this.objects = objects;
    }

    @Override
    public String roleName() {
        return "indexnode";
    }

    @Override
    public void init() {
        state(StateCode.Initializing);
        builder = Executors.newSingleThreadExecutor(NamedThreads.daemon("indexnode-build"));
    }

    @Override
    public void start() {
        builder.execute(this::scheduleMissing);
        state(StateCode.Healthy);
    }


    @Override
    public void stop() {
        if (builder != null) {
            builder.shutdownNow();
        }
        unregister();
    }


    @Override
    public void onSegmentFlushed(SegmentMeta segment) {
        if (segment.getLevel() == 0) {
            return;
        }
        for (IndexMeta index : dataCoord.indexes(segment.getCollectionId())) {
            schedule(index, segment);
        }
    }

    @Override
    public void onIndexCreated(IndexMeta index) {
        for (SegmentMeta s : dataCoord.segments(index.getCollectionId())) {
            if (s.getLevel() != 0 && s.getState() == SegmentStateInternal.FLUSHED) {
                schedule(index, s);
            }
        }
    }

    private void scheduleMissing() {
        try {
            for (var db : rootCoord.listDatabases()) {
                for (CollectionInfo c : rootCoord.listCollections(db.getName())) {
                    dataCoord.indexes(c.getId()).forEach(this::onIndexCreated);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("scanning for unbuilt indexes failed", e);
        }
    }

    private void schedule(IndexMeta index, SegmentMeta segment) {
        if (!IndexSpecs.needsBuild(index) || segment.getNumRows() == 0) {
            return;
        }
        boolean built = dataCoord.segmentIndexes(segment.getCollectionId()).stream()
                .anyMatch(si -> si.getIndexId() == index.getIndexId() && si.getSegmentId() == segment.getId());
        String key = segment.getId() + "/" + index.getIndexId();
        if (!built && pending.add(key)) {
            builder.execute(() -> {
                try {
                    build(index, segment);
                } finally {
                    pending.remove(key);
                }
            });
        }
    }

    private void build(IndexMeta index, SegmentMeta segment) {
        CollectionInfo c = rootCoord.collectionById(segment.getCollectionId()).orElse(null);
        if (c == null) {
            return;
        }
        FieldSchema field = c.getSchema().getFieldsList().stream().filter(f -> f.getFieldID() == index.getFieldId())
                .findFirst().orElseThrow();
        SegmentIndexMeta.Builder result = SegmentIndexMeta.newBuilder().setSegmentId(segment.getId())
                .setIndexId(index.getIndexId()).setBuildId(rootCoord.allocIds(1)).setNumRows(segment.getNumRows());
        try {
            long started = System.nanoTime();
            VectorIndex built = VectorIndexes.build(IndexSpecs.specOf(index, field), readColumn(segment, index.getFieldId()));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            built.writeTo(out);
            String path = "index_files/" + segment.getCollectionId() + "/" + index.getIndexId() + "/" + segment.getId();
            objects.put(path, out.toByteArray());
            result.setState(IndexState.Finished).addFiles(path);
            LOG.info("built {} of segment {} ({} rows) in {} ms", built.indexType(), segment.getId(), segment.getNumRows(),
                    (System.nanoTime() - started) / 1_000_000);
        } catch (IOException | CorruptBinlogException | RuntimeException e) {
            LOG.error("index build of segment {} failed", segment.getId(), e);
            result.setState(IndexState.Failed).setFailReason(String.valueOf(e.getMessage()));
        }
        dataCoord.saveSegmentIndex(result.build());
    }

    private Column readColumn(SegmentMeta segment, long fieldId) throws CorruptBinlogException {
        for (FieldBinlog b : segment.getBinlogsList()) {
            if (b.getFieldId() == fieldId) {
                byte[] bytes = objects.get(b.getPath()).orElseThrow(() -> new IllegalStateException("missing binlog " + b.getPath()));
                return BinlogFormat.read(bytes);
            }
        }
        throw new IllegalStateException("segment " + segment.getId() + " has no binlog of field " + fieldId);
    }
}
