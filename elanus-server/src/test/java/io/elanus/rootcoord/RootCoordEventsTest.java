package io.elanus.rootcoord;

import io.elanus.api.CollectionListener;
import io.elanus.common.Config;
import io.elanus.proto.CollectionInfo;
import io.elanus.proto.DatabaseInfo;
import io.elanus.proto.PartitionInfo;
import io.elanus.storage.kv.EmbeddedMetaKv;
import io.milvus.grpc.CollectionSchema;
import io.milvus.grpc.ConsistencyLevel;
import io.milvus.grpc.DataType;
import io.milvus.grpc.FieldSchema;
import io.milvus.grpc.KeyValuePair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rootcoord's collection events reach listeners after the change, from its publisher thread, with
 * rootcoord's lock free, in the order of the changes, and before the DDL call returns.
 */
class RootCoordEventsTest {
    @TempDir
    Path dir;
    private EmbeddedMetaKv kv;
    private RootCoord rootCoord;

    @BeforeEach
    void start() {
        kv = EmbeddedMetaKv.open(dir);
        rootCoord = new RootCoord(1, kv, Config.defaults(), null);
        rootCoord.init();
        rootCoord.start();
    }

    @AfterEach
    void stop() {
        rootCoord.stop();
        kv.close();
    }

    /** The timeout only ends the deadlock that a listener called under rootcoord's lock would cause. */
    @Test
    @Timeout(120)
    void listenersHearOfAChangeAfterItWithTheLockFreeBeforeTheCallReturns() {
        List<String> seen = new CopyOnWriteArrayList<>();
        rootCoord.addCollectionListener(new Recorder(seen) {
            @Override
            public void onCollectionCreated(CollectionInfo c) {
                super.onCollectionCreated(c);
                // Another thread's DDL goes through while this listener runs: nobody holds the lock.
                Thread other = Thread.ofPlatform().start(() -> rootCoord.createDatabase("db_" + c.getId(), List.of()));
                try {
                    other.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        CollectionInfo c = rootCoord.createCollection("default", schema("a"), 1, ConsistencyLevel.Bounded, List.of(), 0);
        assertEquals(List.of("created a visible=true"), seen, "heard after the change, before the call returned");
        assertTrue(rootCoord.listDatabases().stream().map(DatabaseInfo::getName).toList().contains("db_" + c.getId()));

        rootCoord.createPartition("default", "a", "p");
        rootCoord.dropPartition("default", "a", "p");
        rootCoord.dropCollection("default", "a");
        assertEquals(List.of("created a visible=true", "partition created p", "partition dropped", "dropped a visible=false"), seen);
    }

    @Test
    void concurrentDdlEventsArriveInTheOrderOfTheirChanges() throws Exception {
        List<Long> heard = new CopyOnWriteArrayList<>();
        rootCoord.addCollectionListener(new Recorder(new ArrayList<>()) {
            @Override
            public void onCollectionCreated(CollectionInfo c) {
                heard.add(c.getId());
            }
        });
        List<String> problems = new CopyOnWriteArrayList<>();
        List<Thread> callers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int caller = t;
            callers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 25; i++) {
                    CollectionInfo c = rootCoord.createCollection("default", schema("c" + caller + "_" + i), 1,
                            ConsistencyLevel.Bounded, List.of(), 0);
                    if (!heard.contains(c.getId())) {
                        problems.add("collection " + c.getId() + " created, its event not delivered before the call returned");
                    }
                }
            }));
        }
        for (Thread t : callers) {
            t.join();
        }
        assertEquals(List.of(), problems);
        assertEquals(100, heard.size());
        // Collection ids are allocated under the lock, in the order of the changes.
        assertEquals(heard.stream().sorted().toList(), heard, "events in the order of the changes");
    }

    @Test
    void aListenerFailureFailsTheCallAfterTheChangeAndTheOtherListenersStillHearOfIt() {
        List<String> seen = new CopyOnWriteArrayList<>();
        rootCoord.addCollectionListener(new Recorder(new ArrayList<>()) {
            @Override
            public void onCollectionCreated(CollectionInfo c) {
                throw new IllegalStateException("listener down");
            }
        });
        rootCoord.addCollectionListener(new Recorder(seen));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> rootCoord.createCollection("default", schema("a"), 1, ConsistencyLevel.Bounded, List.of(), 0));
        assertEquals("listener down", e.getMessage());
        assertEquals(List.of("created a visible=true"), seen);
        assertTrue(rootCoord.findCollection("default", "a").isPresent());
    }

    /** Records each event, with whether the collection is in the catalogue when it is heard. */
    private class Recorder implements CollectionListener {
        private final List<String> seen;

        Recorder(List<String> seen) {
            this.seen = seen;
        }

        @Override
        public void onCollectionCreated(CollectionInfo c) {
            seen.add("created " + c.getSchema().getName() + " visible=" + rootCoord.collectionById(c.getId()).isPresent());
        }

        @Override
        public void onCollectionDropped(CollectionInfo c) {
            seen.add("dropped " + c.getSchema().getName() + " visible=" + rootCoord.collectionById(c.getId()).isPresent());
        }

        @Override
        public void onPartitionDropped(CollectionInfo c, long partitionId) {
            seen.add("partition dropped");
        }

        @Override
        public void onPartitionCreated(CollectionInfo c, PartitionInfo p) {
            seen.add("partition created " + p.getName());
        }
    }

    private static CollectionSchema schema(String name) {
        return CollectionSchema.newBuilder().setName(name)
                .addFields(FieldSchema.newBuilder().setName("id").setDataType(DataType.Int64).setIsPrimaryKey(true))
                .addFields(FieldSchema.newBuilder().setName("v").setDataType(DataType.FloatVector)
                        .addTypeParams(KeyValuePair.newBuilder().setKey("dim").setValue("4")))
                .build();
    }
}
