package io.elanus.datacoord;

import io.elanus.api.DataCoordClient;
import io.elanus.indexnode.IndexNode;
import io.elanus.proto.CollectionInfo;
import io.elanus.proto.FieldBinlog;
import io.elanus.proto.IndexBuildTask;
import io.elanus.proto.IndexMeta;
import io.elanus.proto.SegmentIndexMeta;
import io.elanus.proto.SegmentMeta;
import io.elanus.segment.BinlogFormat;
import io.elanus.segment.FloatVectorColumn;
import io.elanus.server.Await;
import io.elanus.session.ServiceDiscovery;
import io.elanus.storage.kv.KvEntry;
import io.milvus.grpc.DataType;
import io.milvus.grpc.IndexState;
import io.milvus.grpc.KeyValuePair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Index builds assigned by datacoord: two index nodes on one meta store each build only what is
 * assigned to them, every build happens once, and the builds of a node whose session disappears
 * are built by the other (a late result of the lost node is dropped).
 */
class IndexAssignmentTest {
    private static final long NODE_A = 21;
    private static final long NODE_B = 22;
    private static final int SEGMENTS = 4;
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private DataCoordFixture f;
    private ServiceDiscovery discovery;
    private CollectionInfo collection;
    private IndexMeta index;
    private final List<SegmentMeta> flushed = new ArrayList<>();
    /** "node segment buildID" for every result an index node reported. */
    private final List<String> reports = new CopyOnWriteArrayList<>();
    private final List<IndexNode> nodes = new ArrayList<>();

    @BeforeEach
    void setUp() {
        f = new DataCoordFixture(dir);
        discovery = ServiceDiscovery.start(f.kv);
        discovery.addListener(new IndexNodeMembership(f.dataCoord, discovery::all));
        collection = f.createCollection("c", 1);
        Random random = new Random(7);
        for (int i = 0; i < SEGMENTS; i++) {
            flushed.add(flushSegment(50 + i, random));
        }
        long vectorField = collection.getSchema().getFields(1).getFieldID();
        index = IndexMeta.newBuilder().setIndexId(f.rootCoordImpl.allocIds(1)).setCollectionId(collection.getId())
                .setFieldId(vectorField).setIndexName("vec_index")
                .addIndexParams(param("index_type", "IVF_FLAT")).addIndexParams(param("metric_type", "L2"))
                .addIndexParams(param("nlist", "4")).build();
    }

    @AfterEach
    void tearDown() {
        nodes.forEach(IndexNode::stop);
        discovery.close();
        f.close();
    }

    private static KeyValuePair param(String key, String value) {
        return KeyValuePair.newBuilder().setKey(key).setValue(value).build();
    }

    /** A segment as a datanode would flush it: its vector binlog written, the result saved. */
    private SegmentMeta flushSegment(int rows, Random random) {
        String v = collection.getVchannels(0);
        long partition = collection.getPartitions(0).getId();
        long id = f.dataCoord.assignSegment(collection.getId(), partition, v, rows);
        f.dataCoord.flush(collection.getId());
        long vectorField = collection.getSchema().getFields(1).getFieldID();
        float[] vectors = new float[rows * DataCoordFixture.DIM];
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = random.nextFloat();
        }
        String path = "insert_log/" + collection.getId() + "/" + partition + "/" + id + "/" + vectorField;
        f.objects.put(path, BinlogFormat.write(new FloatVectorColumn(DataType.FloatVector, DataCoordFixture.DIM, vectors, new BitSet())));
        SegmentMeta s = f.dataCoord.segment(id).orElseThrow().toBuilder().setNumRows(rows)
                .addBinlogs(FieldBinlog.newBuilder().setFieldId(vectorField).setPath(path)).build();
        f.dataCoord.saveFlushResult(v, List.of(s), f.dataCoord.channelCheckpoint(v));
        return f.dataCoord.segment(id).orElseThrow();
    }

    /** An index node with a session but not started: builds assigned to it wait (a node about to die). */
    private IndexNode registeredNode(long id) {
        DataCoordClient reporting = (DataCoordClient) Proxy.newProxyInstance(DataCoordClient.class.getClassLoader(),
                new Class<?>[] {DataCoordClient.class}, (proxy, method, args) -> {
                    if (method.getName().equals("saveSegmentIndex")) {
                        SegmentIndexMeta si = (SegmentIndexMeta) args[0];
                        reports.add(id + " " + si.getSegmentId() + " " + si.getBuildId());
                    }
                    try {
                        return method.invoke(f.dataCoord, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        IndexNode node = new IndexNode(id, f.kv, reporting, f.rootCoord, f.objects);
        node.init();
        node.register();
        nodes.add(node);
        return node;
    }

    /** Build ID -> the build, of what the meta store assigns to a node. */
    private Map<Long, IndexBuildTask> assignedTo(long node) {
        Map<Long, IndexBuildTask> out = new HashMap<>();
        for (KvEntry e : f.kv.scanPrefix(IndexBuilds.PREFIX + node + "/")) {
            IndexBuildTask t = IndexBuilds.parse(e.value());
            out.put(t.getBuildId(), t);
        }
        return out;
    }

    private boolean allBuilt() {
        List<SegmentIndexMeta> built = f.dataCoord.segmentIndexes(collection.getId());
        return built.size() == SEGMENTS && built.stream().allMatch(si -> si.getState() == IndexState.Finished);
    }

    @Test
    void eachBuildGoesToOneIndexNodeAndIsBuiltOnce() throws Exception {
        IndexNode a = registeredNode(NODE_A);
        IndexNode b = registeredNode(NODE_B);
        f.dataCoord.createIndex(index);
        Await.until(() -> assignedTo(NODE_A).size() == 2 && assignedTo(NODE_B).size() == 2, PATIENCE,
                "two builds assigned to each index node");
        Map<Long, Long> nodeOfSegment = new HashMap<>();
        for (long node : List.of(NODE_A, NODE_B)) {
            assignedTo(node).values().forEach(t -> assertEquals(null, nodeOfSegment.put(t.getSegment().getId(), node),
                    "segment " + t.getSegment().getId() + " assigned twice"));
        }
        assertEquals(flushed.stream().map(SegmentMeta::getId).collect(Collectors.toSet()), nodeOfSegment.keySet());

        a.start();
        b.start();
        Await.until(this::allBuilt, PATIENCE, "every segment indexed");

        assertEquals(SEGMENTS, reports.size(), "one report per build: " + reports);
        for (String r : reports) {
            String[] p = r.split(" ");
            assertEquals(nodeOfSegment.get(Long.parseLong(p[1])), Long.parseLong(p[0]), "built by its assignee: " + r);
        }
        assertTrue(f.kv.scanPrefix(IndexBuilds.PREFIX).isEmpty(), "no assignment outlives its build");
        for (SegmentIndexMeta si : f.dataCoord.segmentIndexes(collection.getId())) {
            assertTrue(f.objects.get(si.getFiles(0)).isPresent(), "index file of segment " + si.getSegmentId());
        }
    }

    @Test
    void buildsOfAnIndexNodeWhoseSessionIsGoneAreBuiltByTheOther() throws Exception {
        IndexNode a = registeredNode(NODE_A);
        IndexNode b = registeredNode(NODE_B);
        f.dataCoord.createIndex(index);
        Await.until(() -> assignedTo(NODE_A).size() == 2 && assignedTo(NODE_B).size() == 2, PATIENCE,
                "two builds assigned to each index node");
        Map<Long, IndexBuildTask> lost = assignedTo(NODE_A);

        a.stop(); // its session is gone, its builds unbuilt
        Await.until(() -> assignedTo(NODE_A).isEmpty(), PATIENCE, "the lost node's builds withdrawn");
        assertEquals(2, assignedTo(NODE_B).size(), "the survivor holds no more than its share at a time");

        b.start();
        Await.until(this::allBuilt, PATIENCE, "every segment indexed by the survivor");
        assertEquals(SEGMENTS, reports.size(), reports.toString());
        assertTrue(reports.stream().allMatch(r -> r.startsWith(NODE_B + " ")), "only the survivor built: " + reports);
        Set<Long> savedBuilds = new HashSet<>();
        f.dataCoord.segmentIndexes(collection.getId()).forEach(si -> savedBuilds.add(si.getBuildId()));
        assertFalse(savedBuilds.stream().anyMatch(lost::containsKey), "re-assigned builds run under new build IDs");

        // The lost node was only partitioned away: its late result is dropped, with its file.
        IndexBuildTask late = lost.values().iterator().next();
        String lateFile = "index_files/" + collection.getId() + "/" + index.getIndexId() + "/late";
        f.objects.put(lateFile, new byte[] {1});
        SegmentIndexMeta kept = f.dataCoord.segmentIndexes(collection.getId()).stream()
                .filter(si -> si.getSegmentId() == late.getSegment().getId()).findFirst().orElseThrow();
        f.dataCoord.saveSegmentIndex(SegmentIndexMeta.newBuilder().setSegmentId(late.getSegment().getId())
                .setIndexId(index.getIndexId()).setBuildId(late.getBuildId()).setState(IndexState.Finished)
                .addFiles(lateFile).build());
        assertFalse(f.objects.get(lateFile).isPresent(), "the late build's file is deleted");
        assertTrue(f.dataCoord.segmentIndexes(collection.getId()).contains(kept), "the survivor's result stays");
        assertTrue(f.objects.get(kept.getFiles(0)).isPresent());
    }
}
