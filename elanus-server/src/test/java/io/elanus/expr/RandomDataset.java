package io.elanus.expr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.elanus.segment.ArrayColumn;
import io.elanus.segment.BoolColumn;
import io.elanus.segment.Chunk;
import io.elanus.segment.Column;
import io.elanus.segment.DoubleColumn;
import io.elanus.segment.FloatVectorColumn;
import io.elanus.segment.JsonColumn;
import io.elanus.segment.LongColumn;
import io.elanus.segment.StringColumn;
import io.milvus.grpc.DataType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/** Seeded random rows in {@link Dataset}'s schema, kept both as columns and as plain per-row values. */
final class RandomDataset {
    static final String[] WORDS = {"apple", "apricot", "banana", "band", "cherry", "ch_x", "date", "", "a%b"};
    private static final ObjectMapper MAPPER = new ObjectMapper();

    final int rows;
    final Long[] age;
    final long[] small;
    final double[] score;
    final String[] name;
    final Boolean[] flag;
    final JsonNode[] meta;
    final String[][] tags;
    final long[][] nums;
    final JsonNode[] dynamic;

    RandomDataset(Random r, int rows) {
        this.rows = rows;
        age = new Long[rows];
        small = new long[rows];
        score = new double[rows];
        name = new String[rows];
        flag = new Boolean[rows];
        meta = new JsonNode[rows];
        tags = new String[rows][];
        nums = new long[rows][];
        dynamic = new JsonNode[rows];
        for (int i = 0; i < rows; i++) {
            age[i] = r.nextInt(8) == 0 ? null : (long) r.nextInt(60);
            small[i] = r.nextInt(256) - 128;
            score[i] = r.nextInt(40) / 4.0 - 3;
            name[i] = r.nextInt(8) == 0 ? null : WORDS[r.nextInt(WORDS.length)];
            flag[i] = r.nextInt(8) == 0 ? null : r.nextBoolean();
            meta[i] = r.nextInt(8) == 0 ? null : json(randomDocument(r));
            tags[i] = r.nextInt(8) == 0 ? null : randomWords(r);
            nums[i] = r.nextInt(8) == 0 ? null : randomLongs(r);
            dynamic[i] = json(r.nextInt(4) == 0 ? "{}" : "{\"color\":\"" + WORDS[r.nextInt(4)] + "\",\"size\":" + r.nextInt(10) + "}");
        }
    }

    private static String randomDocument(Random r) {
        String a = switch (r.nextInt(5)) {
            case 0 -> "\"a\":" + r.nextInt(20) + ",";
            case 1 -> "\"a\":" + (r.nextInt(40) / 2.0) + ",";
            case 2 -> "\"a\":\"" + WORDS[r.nextInt(WORDS.length)] + "\",";
            case 3 -> "\"a\":null,";
            default -> "";
        };
        StringBuilder arr = new StringBuilder("[");
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            arr.append(i == 0 ? "" : ",").append(r.nextInt(6));
        }
        return "{" + a + "\"arr\":" + arr + "]}";
    }

    private static String[] randomWords(Random r) {
        String[] w = new String[r.nextInt(4)];
        for (int i = 0; i < w.length; i++) {
            w[i] = WORDS[r.nextInt(4)];
        }
        return w;
    }

    private static long[] randomLongs(Random r) {
        long[] v = new long[r.nextInt(4)];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextInt(6);
        }
        return v;
    }

    private static JsonNode json(String s) {
        try {
            return MAPPER.readTree(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Chunk chunk() {
        Map<Long, Column> cols = new HashMap<>();
        long[] ids = new long[rows];
        long[] ages = new long[rows];
        BitSet ageNulls = new BitSet();
        BitSet nameNulls = new BitSet();
        boolean[] flags = new boolean[rows];
        BitSet flagNulls = new BitSet();
        byte[][] metas = new byte[rows][];
        BitSet metaNulls = new BitSet();
        byte[][] dyn = new byte[rows][];
        BitSet tagNulls = new BitSet();
        BitSet numNulls = new BitSet();
        for (int i = 0; i < rows; i++) {
            ids[i] = i;
            if (age[i] == null) ageNulls.set(i); else ages[i] = age[i];
            if (name[i] == null) nameNulls.set(i);
            if (flag[i] == null) flagNulls.set(i); else flags[i] = flag[i];
            if (meta[i] == null) metaNulls.set(i); else metas[i] = meta[i].toString().getBytes(StandardCharsets.UTF_8);
            dyn[i] = dynamic[i].toString().getBytes(StandardCharsets.UTF_8);
            if (tags[i] == null) tagNulls.set(i);
            if (nums[i] == null) numNulls.set(i);
        }
        cols.put(Dataset.ID, new LongColumn(DataType.Int64, ids, new BitSet()));
        cols.put(Dataset.AGE, new LongColumn(DataType.Int64, ages, ageNulls));
        cols.put(Dataset.SCORE, new DoubleColumn(DataType.Double, score.clone(), new BitSet()));
        cols.put(Dataset.RATIO, new DoubleColumn(DataType.Float, new double[rows], new BitSet()));
        cols.put(Dataset.NAME, new StringColumn(name.clone(), nameNulls));
        cols.put(Dataset.FLAG, new BoolColumn(flags, flagNulls));
        cols.put(Dataset.META, new JsonColumn(metas, metaNulls, false));
        cols.put(Dataset.TAGS, new ArrayColumn(DataType.VarChar, tags.clone(), tagNulls));
        cols.put(Dataset.NUMS, new ArrayColumn(DataType.Int64, nums.clone(), numNulls));
        cols.put(Dataset.VEC, new FloatVectorColumn(DataType.FloatVector, 2, new float[rows * 2], new BitSet()));
        cols.put(Dataset.DYN, new JsonColumn(dyn, new BitSet(), true));
        cols.put(Dataset.SMALL, new LongColumn(DataType.Int8, small.clone(), new BitSet()));
        return new Chunk(rows, new long[rows], cols);
    }
}
