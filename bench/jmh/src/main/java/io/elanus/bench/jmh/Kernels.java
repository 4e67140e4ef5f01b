package io.elanus.bench.jmh;

import io.elanus.vector.VectorKernels;

import java.util.Random;

/** The implementations compared, by the name a benchmark's {@code impl} parameter gives, and seeded test data. */
final class Kernels {
    static final long SEED = 42;

    private Kernels() {
    }

    /** "simd": what the server selects (it must be the Vector API one); "scalar": the plain-Java fallback. */
    static VectorKernels named(String impl) {
        return switch (impl) {
            case "simd" -> {
                VectorKernels selected = VectorKernels.get();
                if (!selected.name().startsWith("simd")) {
                    throw new IllegalStateException("the SIMD kernels are not in use (got " + selected.name()
                            + "); run with --add-modules jdk.incubator.vector");
                }
                yield selected;
            }
            case "scalar" -> VectorKernels.scalar();
            default -> throw new IllegalArgumentException("unknown kernel implementation " + impl);
        };
    }

    static float[] floats(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextFloat() * 2 - 1;
        }
        return v;
    }

    static byte[] bytes(Random random, int n) {
        byte[] v = new byte[n];
        random.nextBytes(v);
        return v;
    }
}
