package io.elanus.expr;

import io.elanus.segment.ArrayColumn;
import io.elanus.segment.BoolColumn;
import io.elanus.segment.Chunk;
import io.elanus.segment.Column;
import io.elanus.segment.DoubleColumn;
import io.elanus.segment.FloatVectorColumn;
import io.elanus.segment.JsonColumn;
import io.elanus.segment.LongColumn;
import io.elanus.segment.StringColumn;
import io.milvus.grpc.CollectionSchema;
import io.milvus.grpc.DataType;
import io.milvus.grpc.FieldSchema;

import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/** The fixed 12-row dataset of the table-driven tests: every scalar type, nulls, JSON and arrays. */
final class Dataset {
    static final long ID = 100, AGE = 101, SCORE = 102, RATIO = 103, NAME = 104, FLAG = 105, META = 106,
            TAGS = 107, NUMS = 108, VEC = 109, DYN = 110, SMALL = 111;

    static final CollectionSchema SCHEMA = CollectionSchema.newBuilder()
            .setName("fixture")
            .setEnableDynamicField(true)
            .addFields(field("id", ID, DataType.Int64).setIsPrimaryKey(true))
            .addFields(field("age", AGE, DataType.Int64).setNullable(true))
            .addFields(field("score", SCORE, DataType.Double))
            .addFields(field("ratio", RATIO, DataType.Float))
            .addFields(field("name", NAME, DataType.VarChar).setNullable(true))
            .addFields(field("flag", FLAG, DataType.Bool).setNullable(true))
            .addFields(field("meta", META, DataType.JSON).setNullable(true))
            .addFields(field("tags", TAGS, DataType.Array).setElementType(DataType.VarChar).setNullable(true))
            .addFields(field("nums", NUMS, DataType.Array).setElementType(DataType.Int64).setNullable(true))
            .addFields(field("vec", VEC, DataType.FloatVector))
            .addFields(field("$meta", DYN, DataType.JSON).setIsDynamic(true))
            .addFields(field("small", SMALL, DataType.Int8))
            .build();

    static final Long[] AGES = {10L, 20L, 30L, null, 40L, 50L, 25L, null, 35L, 60L, 15L, 30L};
    static final double[] SCORES = {1.5, 2.5, 3.0, 4.75, -1.0, 0.0, 10.0, 7.25, 3.0, 8.5, -2.5, 5.0};
    static final float[] RATIOS = {0.1f, 0.2f, 0.3f, 0.5f, 1.0f, 0.1f, 0.25f, 0.75f, 0.9f, 0.6f, 0.4f, 0.3f};
    static final String[] NAMES = {"alice", "bob", "carol", null, "dave", "eve", "Alice", "frank", "bobby", "carl", "",
            "zed_x%"};
    static final Boolean[] FLAGS = {true, false, true, false, true, false, true, null, false, true, false, true};
    static final String[] METAS = {
            "{\"a\":1,\"b\":\"x\",\"arr\":[1,2,3],\"o\":{\"k\":\"v\"}}",
            "{\"a\":2.5,\"b\":\"y\",\"arr\":[4,5],\"tags\":[\"red\",\"blue\"]}",
            "{\"a\":\"3\",\"b\":\"x\",\"arr\":[]}",
            null,
            "{\"a\":5,\"b\":null,\"arr\":[1,[2,3]]}",
            "{\"b\":\"z\"}",
            "{\"a\":1.0,\"arr\":[1,2,3,4],\"flag\":true}",
            "{\"a\":-1,\"tags\":[\"green\"],\"o\":{\"k\":\"w\",\"n\":[1,2]}}",
            "[]",
            "{\"a\":100,\"b\":\"xyz\"}",
            "{\"a\":true}",
            "{\"a\":3,\"b\":\"prefix_abc\",\"arr\":[3.5,\"s\"]}"};
    static final String[][] TAG_ROWS = {{"a", "b"}, {"b"}, {}, null, {"c", "a"}, {"x"}, {"a"}, {"b", "c"},
            {"a", "b", "c"}, {"d"}, null, {"e"}};
    static final long[][] NUM_ROWS = {{1, 2, 3}, {4}, {}, {5, 6}, null, {1}, {2, 2}, {10, 20, 30, 40}, {7}, {0},
            {3, 1}, {}};
    static final String[] DYNAMIC = {
            "{\"color\":\"red\",\"size\":1}", "{\"color\":\"blue\",\"size\":2}", "{\"color\":\"green\"}",
            "{\"size\":4}", "{}", "{\"color\":\"red\",\"size\":5.5}", "{\"color\":\"RED\"}", "{\"size\":7}",
            "{\"color\":\"red\",\"size\":8}", "{}", "{\"color\":\"blue\",\"size\":10}", "{\"color\":null}"};
    static final long[] SMALLS = {1, -2, 3, -4, 5, -6, 7, -8, 9, -10, 11, 127};

    static final int ROWS = 12;

    private Dataset() {
    }

    private static FieldSchema.Builder field(String name, long id, DataType type) {
        return FieldSchema.newBuilder().setName(name).setFieldID(id).setDataType(type);
    }

    static Chunk chunk() {
        int n = ROWS;
        Map<Long, Column> cols = new HashMap<>();
        long[] ids = new long[n];
        long[] ages = new long[n];
        BitSet ageNulls = new BitSet();
        double[] ratios = new double[n];
        boolean[] flags = new boolean[n];
        BitSet flagNulls = new BitSet();
        BitSet nameNulls = new BitSet();
        byte[][] metas = new byte[n][];
        BitSet metaNulls = new BitSet();
        byte[][] dyn = new byte[n][];
        BitSet tagNulls = new BitSet();
        BitSet numNulls = new BitSet();
        for (int i = 0; i < n; i++) {
            ids[i] = i;
            if (AGES[i] == null) ageNulls.set(i); else ages[i] = AGES[i];
            ratios[i] = RATIOS[i];
            if (FLAGS[i] == null) flagNulls.set(i); else flags[i] = FLAGS[i];
            if (NAMES[i] == null) nameNulls.set(i);
            if (METAS[i] == null) metaNulls.set(i); else metas[i] = METAS[i].getBytes(StandardCharsets.UTF_8);
            dyn[i] = DYNAMIC[i].getBytes(StandardCharsets.UTF_8);
            if (TAG_ROWS[i] == null) tagNulls.set(i);
            if (NUM_ROWS[i] == null) numNulls.set(i);
        }
        cols.put(ID, new LongColumn(DataType.Int64, ids, new BitSet()));
        cols.put(AGE, new LongColumn(DataType.Int64, ages, ageNulls));
        cols.put(SCORE, new DoubleColumn(DataType.Double, SCORES.clone(), new BitSet()));
        cols.put(RATIO, new DoubleColumn(DataType.Float, ratios, new BitSet()));
        cols.put(NAME, new StringColumn(NAMES.clone(), nameNulls));
        cols.put(FLAG, new BoolColumn(flags, flagNulls));
        cols.put(META, new JsonColumn(metas, metaNulls, false));
        cols.put(TAGS, new ArrayColumn(DataType.VarChar, TAG_ROWS.clone(), tagNulls));
        cols.put(NUMS, new ArrayColumn(DataType.Int64, NUM_ROWS.clone(), numNulls));
        cols.put(VEC, new FloatVectorColumn(DataType.FloatVector, 2, new float[n * 2], new BitSet()));
        cols.put(DYN, new JsonColumn(dyn, new BitSet(), true));
        cols.put(SMALL, new LongColumn(DataType.Int8, SMALLS.clone(), new BitSet()));
        return new Chunk(n, new long[n], cols);
    }
}
