package io.elanus.bench.jmh;

import io.elanus.segment.SparseVectorColumn;
import io.elanus.vector.FlatSearch;
import io.elanus.vector.MetricType;
import io.elanus.vector.SearchHits;
import io.elanus.vector.SparseQueries;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.BitSet;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Sparse inner product, which has only a scalar implementation (a merge of two ascending index lists):
 * an exact top-10 scan of {@link #ROWS} rows, reported per row. Rows and query have {@code nnz} non-zero
 * dimensions out of {@link #DIMENSIONS}, so about 13% of rows share a dimension with the query at nnz=64.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class SparseIpBench {
    static final int ROWS = 10_000;
    static final int DIMENSIONS = 30_000;

    @Param({"64"})
    int nnz;

    private SparseVectorColumn column;
    private SparseQueries query;

    @Setup
    public void setUp() {
        Random random = new Random(Kernels.SEED);
        int[][] indices = new int[ROWS][];
        float[][] values = new float[ROWS][];
        for (int r = 0; r < ROWS; r++) {
            Row row = randomRow(random);
            indices[r] = row.indices();
            values[r] = row.values();
        }
        column = new SparseVectorColumn(indices, values, new BitSet());
        Row q = randomRow(random);
        query = new SparseQueries(new int[][]{q.indices()}, new float[][]{q.values()});
    }

    private record Row(int[] indices, float[] values) {
    }

    /** {@code nnz} distinct ascending indices with random values. */
    private Row randomRow(Random random) {
        TreeMap<Integer, Float> row = new TreeMap<>();
        while (row.size() < nnz) {
            row.put(random.nextInt(DIMENSIONS), random.nextFloat());
        }
        int[] indices = new int[nnz];
        float[] values = new float[nnz];
        int i = 0;
        for (var e : row.entrySet()) {
            indices[i] = e.getKey();
            values[i++] = e.getValue();
        }
        return new Row(indices, values);
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public SearchHits scan() {
        return FlatSearch.search(column, MetricType.IP, query, 10, null);
    }
}
