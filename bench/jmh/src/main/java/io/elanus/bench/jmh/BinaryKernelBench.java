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

/** Binary-vector kernels on one pair of vectors, on heap arrays and against an off-heap row (BIN_IVF_FLAT). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class BinaryKernelBench {
    @Param({"1024"})
    int bits;
    @Param({"simd", "scalar"})
    String impl;

    private VectorKernels kernels;
    private int len;
    private byte[] a;
    private byte[] b;
    private MemorySegment row;

    @Setup
    public void setUp() {
        kernels = Kernels.named(impl);
        len = bits / 8;
        Random random = new Random(Kernels.SEED);
        a = Kernels.bytes(random, len);
        b = Kernels.bytes(random, len);
        row = Arena.ofAuto().allocate(len, 64);
        row.copyFrom(MemorySegment.ofArray(b));
    }

    @Benchmark
    public int hamming() {
        return kernels.hamming(a, 0, b, 0, len);
    }

    @Benchmark
    public float jaccard() {
        return kernels.jaccard(a, 0, b, 0, len);
    }

    @Benchmark
    public int hammingOffHeap() {
        return kernels.hamming(a, row, 0, len);
    }

    @Benchmark
    public float jaccardOffHeap() {
        return kernels.jaccard(a, row, 0, len);
    }
}
