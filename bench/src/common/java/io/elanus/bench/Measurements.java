package io.elanus.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** Runs the held-out queries one per call through a searcher: recall@10, and queries/s on 1 and 2 threads. */
final class Measurements {
    private Measurements() {
    }

    /** Searches one query, returning the ids (base-set positions) of its top {@value AnnSetup#K} best-first. */
    interface Searcher {
        int[] search(float[] query) throws Exception;
    }

    /** Told about each timed pass, e.g. to measure what a server spends meanwhile. */
    interface PassObserver {
        PassObserver NONE = new PassObserver() {
            @Override
            public void starting(int threads) {
            }

            @Override
            public void finished(int threads, double queriesPerSecond) {
            }
        };

        void starting(int threads);

        void finished(int threads, double queriesPerSecond);
    }

    static AnnResult measure(String engine, String build, String search, double buildSeconds, int[] truth, GloveData data,
                             Searcher s) throws Exception {
        return measure(engine, build, search, buildSeconds, truth, data, AnnSetup.QUERIES, s, PassObserver.NONE);
    }

    /**
     * recall@10 from an untimed pass over all queries, which also warms up; then queries/s on 1 and 2 threads
     * over the first {@code timed} queries, each the best of {@value AnnSetup#PASSES} passes (the machine is
     * shared: the best pass is the one least disturbed by other work).
     */
    static AnnResult measure(String engine, String build, String search, double buildSeconds, int[] truth, GloveData data,
                             int timed, Searcher s, PassObserver observer) throws Exception {
        int[][] found = new int[AnnSetup.QUERIES][];
        for (int q = 0; q < AnnSetup.QUERIES; q++) {
            found[q] = s.search(data.queries()[q]);
        }
        double qps1 = 0;
        double qps2 = 0;
        for (int pass = 0; pass < AnnSetup.PASSES; pass++) {
            qps1 = Math.max(qps1, timedPass(1, timed, data, s, observer));
            qps2 = Math.max(qps2, timedPass(2, timed, data, s, observer));
        }
        double recall = GroundTruth.recall(found, truth);
        double load = loadAverage();
        log("%-30s %-18s %-12s recall@10=%.4f qps1=%.0f qps2=%.0f load=%.2f", engine, build, search, recall, qps1, qps2, load);
        return new AnnResult(engine, build, search, buildSeconds, recall, qps1, qps2, load);
    }

    private static double timedPass(int threads, int timed, GloveData data, Searcher s, PassObserver observer)
            throws Exception {
        observer.starting(threads);
        double qps = timed / parallelSeconds(threads, timed, data, s);
        observer.finished(threads, qps);
        return qps;
    }

    /** Seconds to run the first {@code timed} queries on {@code threads} threads, each taking the next query. */
    private static double parallelSeconds(int threads, int timed, GloveData data, Searcher s) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread[] pool = new Thread[threads];
        long t0 = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            pool[t] = Thread.ofPlatform().start(() -> {
                try {
                    for (int q = next.getAndIncrement(); q < timed; q = next.getAndIncrement()) {
                        s.search(data.queries()[q]);
                    }
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                    next.set(timed);
                }
            });
        }
        for (Thread t : pool) {
            t.join();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return secs(t0);
    }

    /** The machine's 1-minute load average (NaN where /proc/loadavg is missing). */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    static void log(String fmt, Object... args) {
        System.out.printf(fmt + "%n", args);
        System.out.flush();
    }
}
