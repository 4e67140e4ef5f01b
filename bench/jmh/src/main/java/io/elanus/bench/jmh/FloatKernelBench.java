package io.elanus.bench.jmh;

import io.elanus.vector.VectorKernels;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Float distance kernels on one pair of vectors: on two heap arrays (flat scans), and of a heap query
 * against a little-endian off-heap row (how HNSW and IVF store their vectors).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class FloatKernelBench {
    private static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Param({"100", "128", "768"})
    int dim;
    @Param({"simd", "scalar"})
    String impl;

    private VectorKernels kernels;
    private float[] a;
    private float[] b;
    private MemorySegment row;

    @Setup
    public void setUp() {
        kernels = Kernels.named(impl);
        Random random = new Random(Kernels.SEED);
        a = Kernels.floats(random, dim);
        b = Kernels.floats(random, dim);
        row = Arena.ofAuto().allocate(4L * dim, 64);
        for (int i = 0; i < dim; i++) {
            row.setAtIndex(LE_FLOAT, i, b[i]);
        }
    }

    @Benchmark
    public float l2() {
        return kernels.l2sq(a, 0, b, 0, dim);
    }

    @Benchmark
    public float ip() {
        return kernels.dot(a, 0, b, 0, dim);
    }

    @Benchmark
    public float cosine() {
        return kernels.cosine(a, 0, b, 0, dim);
    }

    @Benchmark
    public float l2OffHeap() {
        return kernels.l2sq(a, row, 0, dim);
    }

    @Benchmark
    public float ipOffHeap() {
        return kernels.dot(a, row, 0, dim);
    }
}
