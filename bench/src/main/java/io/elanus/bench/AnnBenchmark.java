package io.elanus.bench;

import io.elanus.segment.FloatVectorColumn;
import io.elanus.vector.FlatSearch;
import io.elanus.vector.FloatQueries;
import io.elanus.vector.IndexSpec;
import io.elanus.vector.MetricType;
import io.elanus.vector.SearchHits;
import io.elanus.vector.VectorIndex;
import io.elanus.vector.VectorIndexes;
import io.milvus.grpc.DataType;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * ANN benchmark on GloVe 100-d (angular, i.e. COSINE): exact top-100 ground truth for 10,000 held-out
 * queries, then build time, recall@10 and single-query throughput on 1 and 2 threads for Elanus's
 * HNSW (ef sweep) and IVF_FLAT (nprobe sweep), plus the other engines that {@link Engines} finds.
 * Usage: AnnBenchmark glove.json workDir report.md
 */
public final class AnnBenchmark {
    static final int QUERIES = 10_000;
    static final int GROUND_TRUTH_K = 100;
    static final int K = 10;
    static final long SEED = 42;
    static final int M = 16;
    static final int EF_CONSTRUCTION = 200;
    static final int[] EFS = {10, 20, 40, 80, 160, 320};
    static final int NLIST = 1024;
    static final int[] NPROBES = {4, 8, 16, 32, 64, 128};

    private AnnBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path json = Path.of(args[0]);
        Path work = Path.of(args[1]);
        Path report = Path.of(args[2]);
        Files.createDirectories(work);
        long t0 = System.nanoTime();
        GloveData data = GloveData.load(json, QUERIES, SEED);
        log("loaded %d base vectors, %d queries in %.1fs", data.baseCount(), QUERIES, secs(t0));
        int[] truth = groundTruth(data, work.resolve("glove-gt-" + SEED + ".bin"));
        List<Result> results = new ArrayList<>();
        FloatVectorColumn column = new FloatVectorColumn(DataType.FloatVector, data.dim(), data.base(), new BitSet());

        IndexSpec hnsw = VectorIndexes.validate(DataType.FloatVector, data.dim(), Map.of("index_type", "HNSW",
                "metric_type", "COSINE", "M", Integer.toString(M), "efConstruction", Integer.toString(EF_CONSTRUCTION)));
        t0 = System.nanoTime();
        VectorIndex hnswIndex = VectorIndexes.build(hnsw, column);
        double hnswBuild = secs(t0);
        log("Elanus HNSW built in %.1fs", hnswBuild);
        for (int ef : EFS) {
            results.add(measure("Elanus HNSW", "M=" + M + ", efC=" + EF_CONSTRUCTION, "ef=" + ef, hnswBuild, truth,
                    data, q -> hnswIndex.search(new FloatQueries(data.dim(), new float[][]{q}), K, null, Map.of("ef", Integer.toString(Math.max(ef, K)))).rows()));
        }

        IndexSpec ivf = VectorIndexes.validate(DataType.FloatVector, data.dim(), Map.of("index_type", "IVF_FLAT",
                "metric_type", "COSINE", "nlist", Integer.toString(NLIST)));
        t0 = System.nanoTime();
        VectorIndex ivfIndex = VectorIndexes.build(ivf, column);
        double ivfBuild = secs(t0);
        log("Elanus IVF_FLAT built in %.1fs", ivfBuild);
        for (int nprobe : NPROBES) {
            results.add(measure("Elanus IVF_FLAT", "nlist=" + NLIST, "nprobe=" + nprobe, ivfBuild, truth, data,
                    q -> ivfIndex.search(new FloatQueries(data.dim(), new float[][]{q}), K, null, Map.of("nprobe", Integer.toString(nprobe))).rows()));
        }
        results.add(measure("Elanus FLAT (brute force)", "-", "-", 0, truth, data, 500,
                q -> FlatSearch.search(column, MetricType.COSINE, new FloatQueries(data.dim(), new float[][]{q}), K, null).rows()));

        results.addAll(Engines.others(data, truth, work));
        Report.write(report, data, results);
        log("wrote %s", report);
    }

    /** Searches one query, returning the ids (base-set positions) of its top K best-first. */
    interface Searcher {
        int[] search(float[] query) throws Exception;
    }

    record Result(String engine, String build, String search, double buildSeconds, double recall, double qps1, double qps2) {
    }

    static Result measure(String engine, String build, String search, double buildSeconds, int[] truth, GloveData data,
                          Searcher s) throws Exception {
        return measure(engine, build, search, buildSeconds, truth, data, QUERIES, s);
    }

    /** recall@10 over all queries; throughput on 1 and 2 threads over the first {@code timed} queries. */
    static Result measure(String engine, String build, String search, double buildSeconds, int[] truth, GloveData data,
                          int timed, Searcher s) throws Exception {
        int[][] found = new int[QUERIES][];
        for (int q = 0; q < Math.min(timed, 1000); q++) {
            s.search(data.queries()[q]);
        }
        long t0 = System.nanoTime();
        for (int q = 0; q < QUERIES; q++) {
            found[q] = s.search(data.queries()[q]);
            if (q + 1 == timed) {
                break;
            }
        }
        double qps1 = timed / secs(t0);
        for (int q = timed; q < QUERIES; q++) {
            found[q] = s.search(data.queries()[q]);
        }
        double qps2 = timed / parallelSeconds(2, timed, data, s);
        double recall = recall(found, truth);
        log("%-26s %-18s %-12s recall@10=%.4f qps1=%.0f qps2=%.0f", engine, build, search, recall, qps1, qps2);
        return new Result(engine, build, search, buildSeconds, recall, qps1, qps2);
    }

    private static double parallelSeconds(int threads, int timed, GloveData data, Searcher s) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        Thread[] pool = new Thread[threads];
        long t0 = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            pool[t] = Thread.ofPlatform().start(() -> {
                try {
                    for (int q = next.getAndIncrement(); q < timed; q = next.getAndIncrement()) {
                        s.search(data.queries()[q]);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        for (Thread t : pool) {
            t.join();
        }
        return secs(t0);
    }

    static double recall(int[][] found, int[] truth) {
        long hits = 0;
        for (int q = 0; q < QUERIES; q++) {
            for (int i = 0; i < K; i++) {
                int want = truth[q * GROUND_TRUTH_K + i];
                for (int j = 0; j < Math.min(K, found[q].length); j++) {
                    if (found[q][j] == want) {
                        hits++;
                        break;
                    }
                }
            }
        }
        return (double) hits / (QUERIES * (long) K);
    }

    /** Exact top-100 COSINE neighbours of every query (cached in {@code cache}). */
    static int[] groundTruth(GloveData data, Path cache) throws Exception {
        if (Files.exists(cache)) {
            try (DataInputStream in = new DataInputStream(Files.newInputStream(cache))) {
                int[] gt = new int[QUERIES * GROUND_TRUTH_K];
                for (int i = 0; i < gt.length; i++) {
                    gt[i] = in.readInt();
                }
                return gt;
            }
        }
        long t0 = System.nanoTime();
        FloatVectorColumn column = new FloatVectorColumn(DataType.FloatVector, data.dim(), data.base(), new BitSet());
        int[] gt = new int[QUERIES * GROUND_TRUTH_K];
        int batch = 50;
        AtomicInteger next = new AtomicInteger();
        Thread[] pool = new Thread[2];
        for (int t = 0; t < pool.length; t++) {
            pool[t] = Thread.ofPlatform().start(() -> {
                for (int from = next.getAndAdd(batch); from < QUERIES; from = next.getAndAdd(batch)) {
                    float[][] qs = java.util.Arrays.copyOfRange(data.queries(), from, Math.min(QUERIES, from + batch));
                    SearchHits hits = FlatSearch.search(column, MetricType.COSINE, new FloatQueries(data.dim(), qs), GROUND_TRUTH_K, null);
                    System.arraycopy(hits.rows(), 0, gt, from * GROUND_TRUTH_K, hits.rows().length);
                }
            });
        }
        for (Thread t : pool) {
            t.join();
        }
        log("ground truth (exact top-%d of %d queries) in %.1fs", GROUND_TRUTH_K, QUERIES, secs(t0));
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(cache))) {
            for (int v : gt) {
                out.writeInt(v);
            }
        }
        return gt;
    }

    static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    static void log(String fmt, Object... args) {
        System.out.printf(fmt + "%n", args);
        System.out.flush();
    }

}
