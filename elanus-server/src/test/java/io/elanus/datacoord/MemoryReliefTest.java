package io.elanus.datacoord;

import io.elanus.common.Config;
import io.elanus.proto.CollectionInfo;
import io.elanus.proto.SegmentStateInternal;
import io.elanus.api.RootCoordClient;
import io.elanus.storage.kv.EmbeddedMetaKv;
import io.milvus.grpc.CollectionSchema;
import io.milvus.grpc.DataType;
import io.milvus.grpc.FieldSchema;
import io.milvus.grpc.KeyValuePair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Datacoord's part of memory protection: the segment size cap, and sealing the largest growing segment on request. */
class MemoryReliefTest {
    private static final long COLLECTION = 7;
    /** 16 bookkeeping + 8 (Int64 pk) + 4 x 768 (the vector), as RowSizeEstimator counts. */
    private static final long ROW_BYTES = 16 + 8 + 4 * 768;

    @TempDir
    Path dir;

    /** Just what datacoord asks rootcoord for here: IDs, timestamps and the collection's schema. */
    private static RootCoordClient rootCoord() {
        AtomicLong next = new AtomicLong(100);
        CollectionSchema schema = CollectionSchema.newBuilder()
                .addFields(FieldSchema.newBuilder().setFieldID(100).setName("id").setDataType(DataType.Int64).setIsPrimaryKey(true))
                .addFields(FieldSchema.newBuilder().setFieldID(101).setName("vector").setDataType(DataType.FloatVector)
                        .addTypeParams(KeyValuePair.newBuilder().setKey("dim").setValue("768")))
                .build();
        CollectionInfo info = CollectionInfo.newBuilder().setId(COLLECTION).setSchema(schema).build();
        return (RootCoordClient) Proxy.newProxyInstance(RootCoordClient.class.getClassLoader(), new Class<?>[] {RootCoordClient.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "allocIds", "allocTimestamps" -> next.getAndAdd((int) args[0]);
                    case "allocTimestamp" -> next.getAndIncrement();
                    case "collectionById" -> Optional.of(info);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void capSegmentSizeSealsAGrowingSegmentAtTheCap() {
        try (EmbeddedMetaKv kv = EmbeddedMetaKv.open(dir);
             DataCoord dc = new DataCoord(2, kv, null, null, Config.defaults(), rootCoord(), p -> Long.MAX_VALUE, 100 * ROW_BYTES)) {
            long first = dc.assignSegment(COLLECTION, 1, "v0", 60);
            assertEquals(first, dc.assignSegment(COLLECTION, 1, "v0", 40), "100 rows fit under the cap");
            long second = dc.assignSegment(COLLECTION, 1, "v0", 1);
            assertNotEquals(first, second, "the 101st row opens a new segment");
            assertEquals(SegmentStateInternal.SEALED, dc.segment(first).orElseThrow().getState());
            assertEquals(100, dc.segment(second).orElseThrow().getMaxRows());
        }
    }

    @Test
    void theGrowingSegmentWithTheMostUnflushedDataIsSealedUnlessItIsTooSmall() {
        try (EmbeddedMetaKv kv = EmbeddedMetaKv.open(dir);
             DataCoord dc = new DataCoord(2, kv, null, null, Config.defaults(), rootCoord(), p -> Long.MAX_VALUE, Long.MAX_VALUE)) {
            long small = dc.assignSegment(COLLECTION, 1, "v0", 10);
            long large = dc.assignSegment(COLLECTION, 1, "v1", 50);
            dc.reportBufferedRows(Map.of(small, 10L, large, 50L));

            assertFalse(dc.sealLargestGrowingSegment(51 * ROW_BYTES), "nothing holds 51 rows");
            assertEquals(SegmentStateInternal.GROWING, dc.segment(large).orElseThrow().getState());

            assertTrue(dc.sealLargestGrowingSegment(20 * ROW_BYTES));
            assertEquals(SegmentStateInternal.SEALED, dc.segment(large).orElseThrow().getState());
            assertEquals(SegmentStateInternal.GROWING, dc.segment(small).orElseThrow().getState());

            assertFalse(dc.sealLargestGrowingSegment(20 * ROW_BYTES), "the remaining growing segment holds only 10 rows");
            assertTrue(dc.sealLargestGrowingSegment(ROW_BYTES));
            assertEquals(SegmentStateInternal.SEALED, dc.segment(small).orElseThrow().getState());
        }
    }
}
