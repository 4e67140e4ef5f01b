package io.elanus.bench;

import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.common.IndexParam;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static io.elanus.bench.Measurements.log;

/**
 * GloVe-100 through a fresh standalone server, shaped like an application's harness (issue 10's outside run):
 * MilvusClientV2, JSON rows in batches of 1,000, HNSW (M=16, efConstruction=200, COSINE), one query per
 * search call with {@code searchParams(ef)} and Eventually consistency, an ef sweep on 1 and 2 client
 * threads. Also measures ingest with 1 and 2 concurrent clients, and the server's CPU (from /proc): idle,
 * during every timed pass, and per thread in an idle window and a 1-thread search window, which it can
 * record with JFR (started and stopped through jcmd, so the recording holds only that window).
 * <p>
 * Usage: GloveServerBenchmark uri glove.json workDir serverPid, with system properties {@code efs}
 * (default 64,128,200,256), {@code profile} (true: JFR recordings), {@code profile.ef} (128),
 * {@code profile.seconds} (30) and {@code idle.seconds} (15); {@code flow=app} (with {@code app.windows}, 24)
 * runs {@link #appFlow} instead, into glove-server-app.properties. Writes into workDir:
 * glove-server-elanus.tsv (the sweep), glove-server-figures.properties (ingest, build, CPU figures) and
 * profile/ (per-thread CPU tables, and idle.jfr and search.jfr when profiling).
 */
public final class GloveServerBenchmark {
    private static final ConsistencyLevel CONSISTENCY = ConsistencyLevel.EVENTUALLY;

    private final GloveCollection collection;
    private final GloveData data;
    private final ProcessCpu server;
    private final ProcessCpu client = new ProcessCpu(ProcessHandle.current().pid());
    private final long serverPid;
    private final Path profileDir;
    private final Properties figures = new Properties();

    private GloveServerBenchmark(GloveCollection collection, GloveData data, long serverPid, Path profileDir) {
        this.collection = collection;
        this.data = data;
        this.serverPid = serverPid;
        this.server = new ProcessCpu(serverPid);
        this.profileDir = profileDir;
    }

    public static void main(String[] args) throws Exception {
        String uri = args[0];
        Path json = Path.of(args[1]);
        Path work = Path.of(args[2]);
        long serverPid = Long.parseLong(args[3]);
        int[] efs = Arrays.stream(System.getProperty("efs", "64,128,200,256").split(",")).map(String::trim)
                .mapToInt(Integer::parseInt).toArray();
        boolean profile = Boolean.parseBoolean(System.getProperty("profile", "true"));
        int profileEf = Integer.getInteger("profile.ef", 128);
        int profileSeconds = Integer.getInteger("profile.seconds", 30);
        int idleSeconds = Integer.getInteger("idle.seconds", 15);

        GloveData data = GloveData.load(json, AnnSetup.QUERIES, AnnSetup.SEED);
        int[] truth = GroundTruth.readOrCompute(data, work);
        Path profileDir = Files.createDirectories(work.resolve("profile"));
        try (GloveCollection collection = new GloveCollection(uri, data)) {
            GloveServerBenchmark bench = new GloveServerBenchmark(collection, data, serverPid, profileDir);
            if (System.getProperty("flow", "bench").equals("app")) {
                bench.appFlow(Integer.getInteger("app.windows", 24), profileSeconds, profileEf, truth, profile);
                bench.store(work.resolve("glove-server-app.properties"));
                return;
            }
            bench.ingest();
            bench.index();
            bench.idle(idleSeconds, profile);
            List<AnnResult> results = new ArrayList<>();
            for (int ef : efs) {
                results.add(bench.point(ef, truth));
            }
            bench.searchWindow(profileEf, profileSeconds, profile);
            ResultsFile.write(work.resolve("glove-server-elanus.tsv"), data, results);
            bench.store(work.resolve("glove-server-figures.properties"));
        }
    }

    private void store(Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file)) {
            figures.store(w, "GloveServerBenchmark");
        }
    }

    /**
     * The quick-start order of an application (flow=app): the collection is created with its HNSW index and
     * loaded while empty, the rows are inserted (1 client, no flush), and one client thread searches at once,
     * in consecutive windows of {@code seconds}: queries/s, recall@10 of the queries answered, and the server's
     * CPU per thread while sealing, flushing and index builds go on behind the searches (the first window with
     * a flight recording when profiling).
     */
    private void appFlow(int windows, int seconds, int ef, int[] truth, boolean profile) throws Exception {
        collection.recreate(CONSISTENCY);
        collection.createIndex(IndexParam.IndexType.HNSW, Map.of("M", AnnSetup.M, "efConstruction", AnnSetup.EF_CONSTRUCTION));
        collection.load();
        double rate = collection.insert(1);
        log("app flow: inserted %d rows at %.0f rows/s, no flush", data.baseCount(), rate);
        put("app.ingest.rows_per_s", rate);
        Map<String, Object> params = Map.of("ef", ef);
        put("app.ef", ef);
        put("app.window_s", seconds);
        int next = 0;
        for (int i = 0; i < windows; i++) {
            Window w = Window.open(this, "app-" + i, profile && i == 0);
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            int done = 0;
            long hits = 0;
            while (System.nanoTime() < end) {
                int q = next++ % data.queries().length;
                int[] found = collection.search(data.queries()[q], params, CONSISTENCY);
                hits += overlap(found, truth, q);
                done++;
            }
            double qps = done / (seconds + (System.nanoTime() - end) / 1e9);
            double cores = w.close(qps);
            double recall = hits / (done * (double) AnnSetup.K);
            log("app flow window %d (%d s): %.0f q/s, recall@10 %.4f, server %.3f cores, index builds %.3f", i, seconds,
                    qps, recall, cores, w.indexBuildCores);
            put("app.window." + i + ".qps", qps);
            put("app.window." + i + ".recall", recall);
            put("app.window." + i + ".server_cores", cores);
            put("app.window." + i + ".index_build_cores", w.indexBuildCores);
        }
    }

    private static int overlap(int[] found, int[] truth, int q) {
        int hits = 0;
        for (int i = 0; i < AnnSetup.K; i++) {
            int want = truth[q * AnnSetup.GROUND_TRUTH_K + i];
            for (int j = 0; j < Math.min(AnnSetup.K, found.length); j++) {
                if (found[j] == want) {
                    hits++;
                    break;
                }
            }
        }
        return hits;
    }

    private void put(String key, double value) {
        figures.setProperty(key, String.format("%.3f", value));
    }

    /** Ingest on 1 client, then again into a fresh collection on 2, which is kept and flushed. */
    private void ingest() throws Exception {
        for (int clients : new int[]{1, 2}) {
            collection.recreate(CONSISTENCY);
            double rate = collection.insert(clients);
            log("ingest, %d client(s): %d rows at %.0f rows/s", clients, data.baseCount(), rate);
            put("ingest.clients=" + clients + ".rows_per_s", rate);
        }
        double flush = collection.flush();
        log("flushed in %.1fs", flush);
        put("flush_s", flush);
    }

    private void index() throws InterruptedException {
        double build = collection.buildIndex(IndexParam.IndexType.HNSW,
                Map.of("M", AnnSetup.M, "efConstruction", AnnSetup.EF_CONSTRUCTION));
        log("HNSW built in %.1fs", build);
        put("hnsw.build_s", build);
        collection.load();
    }

    /** The loaded, unqueried server's CPU: in total and per thread, with a flight recording when profiling. */
    private void idle(int seconds, boolean profile) throws Exception {
        Thread.sleep(5_000);
        Window w = Window.open(this, "idle", profile);
        Thread.sleep(seconds * 1_000L);
        double cores = w.close(Double.NaN);
        log("idle server: %.3f cores", cores);
        put("idle.server_cores", cores);
    }

    /**
     * One sweep point (recall, and the best of the timed passes on 1 and 2 threads), with the server's and the
     * client's cores during the best pass of each.
     */
    private AnnResult point(int ef, int[] truth) throws Exception {
        Map<String, Object> params = Map.of("ef", ef);
        double[] bestQps = new double[3];
        Measurements.PassObserver observer = new Measurements.PassObserver() {
            private ProcessCpu.Snapshot serverStart;
            private ProcessCpu.Snapshot clientStart;

            @Override
            public void starting(int threads) {
                serverStart = snapshot(server);
                clientStart = snapshot(client);
            }

            @Override
            public void finished(int threads, double qps) {
                if (qps > bestQps[threads]) {
                    bestQps[threads] = qps;
                    put("ef=" + ef + ".threads=" + threads + ".server_cores", snapshot(server).coresSince(serverStart));
                    put("ef=" + ef + ".threads=" + threads + ".client_cores", snapshot(client).coresSince(clientStart));
                }
            }
        };
        return Measurements.measure("Elanus HNSW" + RecallQpsPlot.VIA_SERVER, AnnSetup.hnswBuild(), "ef=" + ef,
                Double.parseDouble(figures.getProperty("hnsw.build_s")), truth, data, AnnSetup.QUERIES,
                q -> collection.search(q, params, CONSISTENCY), observer);
    }

    /** One client thread searching for {@code seconds}: queries/s, and the server's CPU per thread. */
    private void searchWindow(int ef, int seconds, boolean profile) throws Exception {
        Map<String, Object> params = Map.of("ef", ef);
        Window w = Window.open(this, "search", profile);
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        int done = 0;
        while (System.nanoTime() < end) {
            collection.search(data.queries()[done++ % data.queries().length], params, CONSISTENCY);
        }
        double qps = done / (seconds + (System.nanoTime() - end) / 1e9);
        double cores = w.close(qps);
        log("search window, ef=%d, 1 thread: %.0f q/s, server %.3f cores", ef, qps, cores);
        put("window.ef", ef);
        put("window.qps", qps);
        put("window.server_cores", cores);
        put("window.client_cores", w.clientCores);
    }

    private static ProcessCpu.Snapshot snapshot(ProcessCpu p) {
        try {
            return p.snapshot();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc for process CPU", e);
        }
    }

    /**
     * A measured window: per-thread server CPU into profile/NAME-threads.txt, and with profiling a flight
     * recording (profile settings, plus JDK 25's CPU-time sampler) into profile/NAME.jfr.
     */
    private static final class Window {
        private final GloveServerBenchmark bench;
        private final String name;
        private final boolean record;
        private final ProcessCpu.Snapshot serverStart;
        private final ProcessCpu.Snapshot clientStart;
        private double clientCores;
        /** The server's index-build threads (indexnode-build, hnsw-build) over the window, in cores. */
        private double indexBuildCores;

        private Window(GloveServerBenchmark bench, String name, boolean record) {
            this.bench = bench;
            this.name = name;
            this.record = record;
            this.serverStart = snapshot(bench.server);
            this.clientStart = snapshot(bench.client);
        }

        static Window open(GloveServerBenchmark bench, String name, boolean record) {
            if (record) {
                Jcmd.run(bench.serverPid, "JFR.start", "name=" + name, "settings=profile",
                        "filename=" + bench.profileDir.resolve(name + ".jfr").toAbsolutePath(),
                        "jdk.CPUTimeSample#enabled=true", "jdk.CPUTimeSample#throttle=10ms");
            }
            return new Window(bench, name, record);
        }

        /** Ends the window; returns the server's cores over it. */
        double close(double qps) throws IOException {
            ProcessCpu.Snapshot serverEnd = snapshot(bench.server);
            clientCores = snapshot(bench.client).coresSince(clientStart);
            if (record) {
                Jcmd.run(bench.serverPid, "JFR.stop", "name=" + name);
            }
            double cores = serverEnd.coresSince(serverStart);
            List<ProcessCpu.ThreadCores> threads = ProcessCpu.busiest(serverStart, serverEnd, bench.server.javaThreadNames());
            StringBuilder out = new StringBuilder();
            out.append(String.format("window %s: %.1f s; server %.3f cores; client %.3f cores%s%n", name,
                    (serverEnd.nanos() - serverStart.nanos()) / 1e9, cores, clientCores,
                    Double.isNaN(qps) ? "" : String.format("; %.0f queries/s", qps)));
            out.append(String.format("%nserver threads by group (cores)%n"));
            ProcessCpu.byGroup(threads).forEach((g, c) -> out.append(String.format("  %.3f  %s%n", c, g)));
            indexBuildCores = threads.stream().filter(t -> t.name().startsWith("hnsw-build") || t.name().startsWith("indexnode-build"))
                    .mapToDouble(ProcessCpu.ThreadCores::cores).sum();
            out.append(String.format("%nserver threads (cores)%n"));
            threads.forEach(t -> out.append(String.format("  %.3f  %s (tid %d)%n", t.cores(), t.name(), t.tid())));
            Files.writeString(bench.profileDir.resolve(name + "-threads.txt"), out);
            return cores;
        }
    }
}
