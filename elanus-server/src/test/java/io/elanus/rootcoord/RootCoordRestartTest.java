package io.elanus.rootcoord;

import io.elanus.common.Config;
import io.elanus.common.MilvusError;
import io.elanus.common.MilvusException;
import io.elanus.proto.CollectionInfo;
import io.elanus.storage.kv.EmbeddedMetaKv;
import io.milvus.grpc.CollectionSchema;
import io.milvus.grpc.ConsistencyLevel;
import io.milvus.grpc.DataType;
import io.milvus.grpc.FieldSchema;
import io.milvus.grpc.KeyValuePair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rootcoord's promises across a restart: timestamps keep increasing, IDs never repeat, the catalogue is kept. */
class RootCoordRestartTest {
    @TempDir
    Path dir;

    @Test
    void timestampsAndIdsStayMonotonicAndTheCatalogueSurvivesARestart() {
        long lastTs;
        long lastId;
        long collectionId;
        try (EmbeddedMetaKv kv = EmbeddedMetaKv.open(dir)) {
            RootCoord rc = start(kv);
            long a = rc.allocTimestamp();
            long b = rc.allocTimestamp();
            assertTrue(b > a);
            rc.createDatabase("db1", List.of());
            CollectionInfo c = rc.createCollection("db1", schema("c1"), 2, ConsistencyLevel.Strong, List.of(), 0);
            collectionId = c.getId();
            assertEquals(2, c.getVchannelsCount());
            assertEquals(100, c.getSchema().getFields(0).getFieldID(), "user fields are numbered from 100");
            rc.createAlias("db1", "a1", "c1");
            lastTs = rc.allocTimestamp();
            lastId = rc.allocIds(10) + 9;
            rc.stop();
        }
        try (EmbeddedMetaKv kv = EmbeddedMetaKv.open(dir)) {
            RootCoord rc = start(kv);
            assertTrue(rc.allocTimestamp() > lastTs, "timestamps after a restart are above every earlier one");
            assertTrue(rc.allocIds(1) > lastId, "IDs are never handed out twice");
            assertEquals(collectionId, rc.describeCollection("db1", "a1").getId(), "collections and aliases are kept");
            MilvusException missing = assertThrows(MilvusException.class, () -> rc.describeCollection("db1", "nope"));
            assertEquals(MilvusError.COLLECTION_NOT_FOUND, missing.kind());
            MilvusException dropDefault = assertThrows(MilvusException.class, () -> rc.dropDatabase("default"));
            assertEquals(MilvusError.PARAMETER_INVALID, dropDefault.kind());
            rc.stop();
        }
    }

    @Test
    void recreatingWithTheSameSchemaSucceedsButADifferentSchemaIsRefused() {
        try (EmbeddedMetaKv kv = EmbeddedMetaKv.open(dir)) {
            RootCoord rc = start(kv);
            CollectionInfo first = rc.createCollection("default", schema("c"), 1, ConsistencyLevel.Bounded, List.of(), 0);
            assertEquals(first.getId(), rc.createCollection("default", schema("c"), 1, ConsistencyLevel.Bounded, List.of(), 0).getId());
            CollectionSchema other = schema("c").toBuilder().addFields(FieldSchema.newBuilder().setName("x").setDataType(DataType.Bool)).build();
            assertThrows(MilvusException.class, () -> rc.createCollection("default", other, 1, ConsistencyLevel.Bounded, List.of(), 0));
            rc.stop();
        }
    }

    private static RootCoord start(EmbeddedMetaKv kv) {
        RootCoord rc = new RootCoord(1, kv, Config.defaults(), null);
        rc.init();
        rc.start();
        return rc;
    }

    private static CollectionSchema schema(String name) {
        return CollectionSchema.newBuilder().setName(name)
                .addFields(FieldSchema.newBuilder().setName("id").setDataType(DataType.Int64).setIsPrimaryKey(true))
                .addFields(FieldSchema.newBuilder().setName("v").setDataType(DataType.FloatVector)
                        .addTypeParams(KeyValuePair.newBuilder().setKey("dim").setValue("4")))
                .build();
    }
}
