package io.elanus.indexnode;

import io.elanus.api.DataCoordClient;
import io.elanus.api.RootCoordClient;
import io.elanus.proto.CollectionInfo;
import io.elanus.proto.FieldBinlog;
import io.elanus.proto.IndexBuildTask;
import io.elanus.proto.IndexMeta;
import io.elanus.proto.SegmentIndexMeta;
import io.elanus.proto.SegmentMeta;
import io.elanus.segment.BinlogFormat;
import io.elanus.segment.Column;
import io.elanus.segment.CorruptBinlogException;
import io.elanus.session.RoleComponent;
import io.elanus.storage.kv.KvEntry;
import io.elanus.storage.kv.KvWatch;
import io.elanus.storage.kv.MetaKv;
import io.elanus.storage.object.ObjectStore;
import io.elanus.vector.IndexSpecs;
import io.elanus.vector.VectorIndex;
import io.elanus.vector.VectorIndexes;
import com.google.protobuf.InvalidProtocolBufferException;
import io.milvus.grpc.FieldSchema;
import io.milvus.grpc.IndexState;
import io.milvus.grpc.StateCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the index builds datacoord assigned to this node: it watches
 * {@code indexwatch/{nodeID}/} in the meta store, and one build thread takes the assigned builds
 * from there one at a time, in build-ID order. A build reads the segment's vector binlog, builds
 * the index, writes the index file to the object store and reports to datacoord, which records it
 * and ends the assignment. The backlog stays in the meta store (datacoord assigns a node only a
 * few builds at a time), so this node queues nothing: the watch only wakes the build thread.
 */
public final class IndexNode extends RoleComponent {
    private static final Logger LOG = LoggerFactory.getLogger(IndexNode.class);
    static final String PREFIX = "indexwatch/";
    /** After a failed report the build is tried again, not sooner than this. */
    private static final long RETRY_MS = 1_000;

    private final MetaKv kv;
    private final DataCoordClient dataCoord;
    private final RootCoordClient rootCoord;
    private final ObjectStore objects;
    /** Guards {@link #assignmentsChanged} and {@link #running}; the build thread waits on it. */
    private final Object signal = new Object();
    private boolean assignmentsChanged = true;
    private boolean running;
    /** Builds done whose keys may still be seen (the collection is gone, or the deletion is on its way); build thread only. */
    private final Set<Long> tried = new HashSet<>();
    private KvWatch watch;
    private Thread builder;

    public IndexNode(long nodeId, MetaKv kv, DataCoordClient dataCoord, RootCoordClient rootCoord, ObjectStore objects) {
        super(kv, nodeId);
        this.kv = kv;
        this.dataCoord = dataCoord;
        this.rootCoord = rootCoord;
        this.objects = objects;
    }

    private String prefix() {
        return PREFIX + serverId() + "/";
    }

    @Override
    public String roleName() {
        return "indexnode";
    }

    @Override
    public void init() {
        state(StateCode.Initializing);
    }

    @Override
    public void start() {
        synchronized (signal) {
            running = true;
        }
        watch = kv.watchPrefix(prefix(), kv.currentRevision(), event -> wake());
        builder = Thread.ofPlatform().name("indexnode-build").daemon().start(this::buildLoop);
        state(StateCode.Healthy);
    }

    /**
     * Stops taking builds. A build under way is not interrupted (an interrupt would close the
     * object store's file channels); its result, if it still comes, is dropped or saved by datacoord.
     */
    @Override
    public void stop() {
        synchronized (signal) {
            running = false;
            signal.notifyAll();
        }
        if (watch != null) {
            watch.close();
        }
        if (builder != null) {
            try {
                builder.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        unregister();
    }

    private void wake() {
        synchronized (signal) {
            assignmentsChanged = true;
            signal.notifyAll();
        }
    }

    private void buildLoop() {
        while (awaitAssignments()) {
            Optional<IndexBuildTask> next;
            try {
                next = nextBuild();
            } catch (RuntimeException e) {
                LOG.warn("reading the builds assigned to index node {} failed: {}", serverId(), e.toString());
                retryLater();
                continue;
            }
            if (next.isEmpty()) {
                continue;
            }
            IndexBuildTask task = next.get();
            try {
                Optional<CollectionInfo> c = rootCoord.collectionById(task.getSegment().getCollectionId());
                // A dropped collection's builds are withdrawn by datacoord: nothing to report.
                if (c.isPresent()) {
                    dataCoord.saveSegmentIndex(build(task, c.get()));
                }
                tried.add(task.getBuildId());
                wake(); // the next assigned build, if any, without waiting for an event
            } catch (RuntimeException e) {
                LOG.warn("index build {}: a coordinator is unreachable; the build is tried again: {}", task.getBuildId(), e.toString());
                retryLater();
            }
        }
    }

    /** Waits until the assignments may have changed; false once stopped. */
    private boolean awaitAssignments() {
        synchronized (signal) {
            while (running && !assignmentsChanged) {
                try {
                    signal.wait();
                } catch (InterruptedException e) {
                    return false;
                }
            }
            assignmentsChanged = false;
            return running;
        }
    }

    private void retryLater() {
        synchronized (signal) {
            try {
                signal.wait(RETRY_MS);
            } catch (InterruptedException e) {
                running = false;
            }
            assignmentsChanged = true;
        }
    }

    /** The assigned build with the lowest build ID not tried yet. */
    private Optional<IndexBuildTask> nextBuild() {
        Set<Long> assigned = new HashSet<>();
        IndexBuildTask next = null;
        for (KvEntry e : kv.scanPrefix(prefix())) {
            IndexBuildTask t;
            try {
                t = IndexBuildTask.parseFrom(e.value());
            } catch (InvalidProtocolBufferException ex) {
                LOG.warn("ignoring undecodable index build at {}", e.key());
                continue;
            }
            assigned.add(t.getBuildId());
            if (!tried.contains(t.getBuildId()) && (next == null || t.getBuildId() < next.getBuildId())) {
                next = t;
            }
        }
        tried.retainAll(assigned);
        return Optional.ofNullable(next);
    }

    /** The result to report: the index file, or why the build failed (the data cannot be indexed). */
    private SegmentIndexMeta build(IndexBuildTask task, CollectionInfo c) {
        SegmentMeta segment = task.getSegment();
        IndexMeta index = task.getIndex();
        SegmentIndexMeta.Builder result = SegmentIndexMeta.newBuilder().setSegmentId(segment.getId())
                .setIndexId(index.getIndexId()).setBuildId(task.getBuildId()).setNumRows(segment.getNumRows());
        try {
            FieldSchema field = c.getSchema().getFieldsList().stream().filter(f -> f.getFieldID() == index.getFieldId())
                    .findFirst().orElseThrow(() -> new IllegalStateException("field " + index.getFieldId() + " not in the schema"));
            long started = System.nanoTime();
            VectorIndex built = VectorIndexes.build(IndexSpecs.specOf(index, field), readColumn(segment, index.getFieldId()));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            built.writeTo(out);
            // The build ID in the name: a re-assigned build never overwrites the file of the one before.
            String path = "index_files/" + segment.getCollectionId() + "/" + index.getIndexId() + "/" + segment.getId()
                    + "_" + task.getBuildId();
            objects.put(path, out.toByteArray());
            result.setState(IndexState.Finished).addFiles(path);
            LOG.info("built {} of segment {} ({} rows) in {} ms", built.indexType(), segment.getId(), segment.getNumRows(),
                    (System.nanoTime() - started) / 1_000_000);
        } catch (IOException | CorruptBinlogException | RuntimeException e) {
            LOG.error("index build of segment {} failed", segment.getId(), e);
            result.setState(IndexState.Failed).setFailReason(String.valueOf(e.getMessage()));
        }
        return result.build();
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
