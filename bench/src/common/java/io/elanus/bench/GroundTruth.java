package io.elanus.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The exact top-{@value AnnSetup#GROUND_TRUTH_K} base-set positions of every query, best first, as one
 * query-major array; cached in a file named after the query seed. Computed here in plain Java (cosine as
 * the inner product of unit vectors), independently of every engine the benchmarks measure.
 */
final class GroundTruth {
    private GroundTruth() {
    }

    static Path file(Path work) {
        return work.resolve("glove-gt-" + AnnSetup.SEED + ".bin");
    }

    /** The cached ground truth in {@code work}, or computes it on 2 threads and caches it. */
    static int[] readOrCompute(GloveData data, Path work) throws Exception {
        Path cache = file(work);
        if (Files.exists(cache)) {
            return read(cache);
        }
        long t0 = System.nanoTime();
        int[] gt = compute(data, 2);
        Measurements.log("ground truth (exact top-%d of %d queries) in %.1fs", AnnSetup.GROUND_TRUTH_K,
                data.queries().length, Measurements.secs(t0));
        Files.createDirectories(work);
        write(cache, gt);
        return gt;
    }

    /** Exact top-{@value AnnSetup#GROUND_TRUTH_K} by cosine by brute force; a tie goes to the lower position. */
    static int[] compute(GloveData data, int threads) throws InterruptedException {
        int dim = data.dim();
        int n = data.baseCount();
        float[] base = new float[n * dim];
        for (int i = 0; i < n; i++) {
            System.arraycopy(unit(data.base(), i * dim, dim), 0, base, i * dim, dim);
        }
        int queries = data.queries().length;
        int k = AnnSetup.GROUND_TRUTH_K;
        int[] gt = new int[queries * k];
        AtomicInteger next = new AtomicInteger();
        Thread[] pool = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            pool[t] = Thread.ofPlatform().start(() -> {
                float[] scores = new float[n];
                for (int q = next.getAndIncrement(); q < queries; q = next.getAndIncrement()) {
                    float[] u = unit(data.queries()[q], 0, dim);
                    for (int i = 0; i < n; i++) {
                        scores[i] = dot(u, base, i * dim, dim);
                    }
                    System.arraycopy(top(scores, k), 0, gt, q * k, k);
                }
            });
        }
        for (Thread t : pool) {
            t.join();
        }
        return gt;
    }

    /** A unit-length copy of {@code v[off, off + dim)} (a zero vector stays zero). */
    static float[] unit(float[] v, int off, int dim) {
        double sq = 0;
        for (int i = 0; i < dim; i++) {
            sq += (double) v[off + i] * v[off + i];
        }
        float s = sq == 0 ? 0 : (float) (1 / Math.sqrt(sq));
        float[] u = new float[dim];
        for (int i = 0; i < dim; i++) {
            u[i] = v[off + i] * s;
        }
        return u;
    }

    /** Four independent sums, so the loop is not serialised on one floating-point add. */
    private static float dot(float[] q, float[] base, int off, int dim) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < dim; i += 4) {
            s0 += q[i] * base[off + i];
            s1 += q[i + 1] * base[off + i + 1];
            s2 += q[i + 2] * base[off + i + 2];
            s3 += q[i + 3] * base[off + i + 3];
        }
        for (; i < dim; i++) {
            s0 += q[i] * base[off + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Positions of the {@code k} highest scores, best first, through a min-heap of the best so far. */
    private static int[] top(float[] scores, int k) {
        int[] heap = new int[k];
        int size = 0;
        for (int i = 0; i < scores.length; i++) {
            if (size < k) {
                heap[size] = i;
                siftUp(heap, size++, scores);
            } else if (scores[i] > scores[heap[0]]) {
                heap[0] = i;
                siftDown(heap, k, scores);
            }
        }
        int[] out = new int[k];
        for (int j = k - 1; j >= 0; j--) {
            out[j] = heap[0];
            heap[0] = heap[--size];
            siftDown(heap, size, scores);
        }
        return out;
    }

    /** Heap order: the worst on top; of equal scores the higher position is worse. */
    private static boolean worse(int a, int b, float[] s) {
        return s[a] < s[b] || (s[a] == s[b] && a > b);
    }

    private static void siftUp(int[] heap, int i, float[] s) {
        while (i > 0) {
            int parent = (i - 1) / 2;
            if (!worse(heap[i], heap[parent], s)) {
                return;
            }
            int t = heap[i];
            heap[i] = heap[parent];
            heap[parent] = t;
            i = parent;
        }
    }

    private static void siftDown(int[] heap, int size, float[] s) {
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            int r = l + 1;
            int m = i;
            if (l < size && worse(heap[l], heap[m], s)) {
                m = l;
            }
            if (r < size && worse(heap[r], heap[m], s)) {
                m = r;
            }
            if (m == i) {
                return;
            }
            int t = heap[i];
            heap[i] = heap[m];
            heap[m] = t;
            i = m;
        }
    }

    static int[] read(Path file) throws IOException {
        int[] gt = new int[AnnSetup.QUERIES * AnnSetup.GROUND_TRUTH_K];
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            for (int i = 0; i < gt.length; i++) {
                gt[i] = in.readInt();
            }
        }
        return gt;
    }

    static void write(Path file, int[] gt) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            for (int v : gt) {
                out.writeInt(v);
            }
        }
    }

    /** Share of the true top-{@value AnnSetup#K} found among each query's first {@value AnnSetup#K} results. */
    static double recall(int[][] found, int[] truth) {
        long hits = 0;
        for (int q = 0; q < AnnSetup.QUERIES; q++) {
            for (int i = 0; i < AnnSetup.K; i++) {
                int want = truth[q * AnnSetup.GROUND_TRUTH_K + i];
                for (int j = 0; j < Math.min(AnnSetup.K, found[q].length); j++) {
                    if (found[q][j] == want) {
                        hits++;
                        break;
                    }
                }
            }
        }
        return (double) hits / (AnnSetup.QUERIES * (long) AnnSetup.K);
    }
}
