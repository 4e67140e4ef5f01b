package io.elanus.expr.bench;

import io.elanus.expr.FilterCompiler;
import io.elanus.expr.FilterPlan;
import io.elanus.segment.Chunk;
import io.elanus.segment.Column;
import io.elanus.segment.JsonColumn;
import io.elanus.segment.LongColumn;
import io.elanus.segment.StringColumn;
import io.milvus.grpc.CollectionSchema;
import io.milvus.grpc.DataType;
import io.milvus.grpc.FieldSchema;

import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.Map;
import java.util.Random;

/** Rough rows/s of typical filters over one 1M-row chunk (run by hand: not a unit test). */
public final class FilterBenchmark {
    private static final int ROWS = 1_000_000;

    public static void main(String[] args) {
        CollectionSchema schema = CollectionSchema.newBuilder()
                .addFields(FieldSchema.newBuilder().setName("id").setFieldID(1).setDataType(DataType.Int64).setIsPrimaryKey(true))
                .addFields(FieldSchema.newBuilder().setName("name").setFieldID(2).setDataType(DataType.VarChar))
                .addFields(FieldSchema.newBuilder().setName("doc").setFieldID(3).setDataType(DataType.JSON))
                .build();
        Random r = new Random(1);
        long[] ids = new long[ROWS];
        String[] names = new String[ROWS];
        byte[][] docs = new byte[ROWS][];
        for (int i = 0; i < ROWS; i++) {
            ids[i] = r.nextInt(10_000_000);
            names[i] = "item-" + r.nextInt(100_000);
            docs[i] = ("{\"price\":" + r.nextInt(1000) + ",\"tag\":\"t" + r.nextInt(50) + "\"}").getBytes(StandardCharsets.UTF_8);
        }
        Map<Long, Column> cols = Map.of(
                1L, new LongColumn(DataType.Int64, ids, new BitSet()),
                2L, new StringColumn(names, new BitSet()),
                3L, new JsonColumn(docs, new BitSet(), false));
        Chunk chunk = new Chunk(ROWS, new long[ROWS], cols);
        StringBuilder in = new StringBuilder("id in [");
        for (int i = 0; i < 1000; i++) {
            in.append(i == 0 ? "" : ",").append(r.nextInt(10_000_000));
        }
        in.append("]");
        run("range 1000 < id <= 5000000", "1000 < id <= 5000000", schema, chunk);
        run("in with 1000 values", in.toString(), schema, chunk);
        run("JSON path doc[\"price\"] > 500", "doc[\"price\"] > 500", schema, chunk);
        run("like prefix name like \"item-12%\"", "name like \"item-12%\"", schema, chunk);
    }

    private static void run(String label, String expr, CollectionSchema schema, Chunk chunk) {
        FilterPlan plan = FilterCompiler.compile(expr, schema, Map.of());
        for (int i = 0; i < 3; i++) {
            plan.evaluate(chunk);
        }
        int reps = 10;
        long start = System.nanoTime();
        int matched = 0;
        for (int i = 0; i < reps; i++) {
            matched = plan.evaluate(chunk).cardinality();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%-40s %,14.0f rows/s  (%d matches)%n", label, ROWS * (double) reps / seconds, matched);
    }
}
