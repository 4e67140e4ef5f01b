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
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Int8 distance kernels on one pair of vectors: two byte arrays (cosine is three dot products, as the
 * flat scan computes it), and a float query against an off-heap byte row (how HNSW and FLAT indexes
 * keep int8 vectors).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class Int8KernelBench {
    @Param({"100", "128", "768"})
    int dim;
    @Param({"simd", "scalar"})
    String impl;

    private VectorKernels kernels;
    private byte[] a;
    private byte[] b;
    private float[] query;
    private MemorySegment row;

    @Setup
    public void setUp() {
        kernels = Kernels.named(impl);
        Random random = new Random(Kernels.SEED);
        a = Kernels.bytes(random, dim);
        b = Kernels.bytes(random, dim);
        query = new float[dim];
        for (int i = 0; i < dim; i++) {
            query[i] = a[i];
        }
        row = Arena.ofAuto().allocate(dim, 64);
        MemorySegment.copy(MemorySegment.ofArray(b), 0, row, 0, dim);
    }

    @Benchmark
    public int l2() {
        return kernels.int8L2sq(a, 0, b, 0, dim);
    }

    @Benchmark
    public int ip() {
        return kernels.int8Dot(a, 0, b, 0, dim);
    }

    @Benchmark
    public float cosine() {
        return VectorKernels.cosineOf(kernels.int8Dot(a, 0, b, 0, dim), kernels.int8Dot(a, 0, a, 0, dim),
                kernels.int8Dot(b, 0, b, 0, dim));
    }

    @Benchmark
    public float l2OffHeap() {
        return kernels.int8L2sq(query, row, 0, dim);
    }

    @Benchmark
    public float ipOffHeap() {
        return kernels.int8Dot(query, row, 0, dim);
    }
}
