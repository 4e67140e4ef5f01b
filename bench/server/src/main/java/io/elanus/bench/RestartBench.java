package io.elanus.bench;

import io.milvus.client.MilvusServiceClient;
import io.milvus.param.ConnectParam;
import io.milvus.param.dml.InsertParam;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.common.DataType;
import io.milvus.v2.common.IndexParam;
import io.milvus.v2.service.collection.request.AddFieldReq;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.utility.request.FlushReq;
import io.milvus.v2.service.vector.request.QueryReq;
import io.milvus.v2.service.vector.response.QueryResp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Restart time against history (bench/run-restart.sh). Starts the standalone server itself, so the
 * clock starts with the process: for each step it starts the server on the same data directory,
 * measures the time until it prints its ready line and until a Strong count(*) of the loaded
 * collection returns every row ingested so far, then ingests the next {@code rowsPerStep} rows
 * (small float vectors, flushed every {@code flushEvery} rows, the last {@code tail} rows of each
 * step left unflushed, as after a crash or an ordinary stop between flushes) and stops the server
 * with SIGTERM. Each step's start is repeated {@code repeats} times and the fastest is kept: on a shared
 * machine the other runs mostly measure the neighbours. Prints one "restart ..." line per step.
 */
public final class RestartBench {
    private static final String READY_MARKER = "Elanus standalone ready";
    private static final String COLLECTION = "restart_bench";

    public static void main(String[] args) throws Exception {
        Path elanus = Path.of(args[0]);
        Path dataDir = Path.of(args[1]);
        int port = Integer.parseInt(args[2]);
        int steps = Integer.parseInt(args[3]);
        int rowsPerStep = Integer.parseInt(args[4]);
        int dim = Integer.parseInt(args[5]);
        int flushEvery = Integer.parseInt(args[6]);
        int tail = Integer.parseInt(args[7]);
        Path logDir = Path.of(args[8]);
        int repeats = Integer.parseInt(args[9]);
        String uri = "http://127.0.0.1:" + port;
        Random random = new Random(42);
        long total = 0;
        for (int step = 0; step <= steps; step++) {
            double bestReady = Double.MAX_VALUE;
            double bestServing = Double.MAX_VALUE;
            for (int attempt = 0; attempt < repeats; attempt++) {
                Path log = logDir.resolve("server-" + step + "-" + attempt + ".log");
                long start = System.nanoTime();
                Process server = new ProcessBuilder(elanus.toString(), "standalone", "--data-dir", dataDir.toString(),
                        "--port", Integer.toString(port), "--metrics-port", "0").redirectErrorStream(true).start();
                CountDownLatch ready = new CountDownLatch(1);
                Thread pump = Thread.ofPlatform().daemon().start(() -> pump(server, log, ready));
                if (!ready.await(10, TimeUnit.MINUTES)) {
                    server.destroyForcibly();
                    throw new IllegalStateException("server did not get ready; see " + log);
                }
                double readyS = (System.nanoTime() - start) / 1e9;
                MilvusClientV2 client = new MilvusClientV2(ConnectConfig.builder().uri(uri).rpcDeadlineMs(600_000).build());
                if (step == 0 && attempt == 0) {
                    createCollection(client, dim);
                }
                long counted = awaitCount(client, total);
                double servingS = (System.nanoTime() - start) / 1e9;
                if (counted != total) {
                    throw new IllegalStateException("count(*) is " + counted + " after restart, expected " + total);
                }
                bestReady = Math.min(bestReady, readyS);
                bestServing = Math.min(bestServing, servingS);
                if (attempt == repeats - 1) {
                    System.out.printf("restart step=%d rows=%d ready_s=%.2f serving_s=%.2f meta_bytes=%d wal_bytes=%d%n",
                            step, total, bestReady, bestServing, size(dataDir.resolve("meta")), size(dataDir.resolve("wal")));
                }
                if (step < steps && attempt == repeats - 1) {
                    total = ingest(client, uri, total, rowsPerStep, dim, flushEvery, tail, random);
                }
                client.close();
                server.destroy();
                if (!server.waitFor(2, TimeUnit.MINUTES)) {
                    server.destroyForcibly();
                    throw new IllegalStateException("server did not stop; see " + log);
                }
                pump.join();
            }
        }
    }

    private static void pump(Process server, Path log, CountDownLatch ready) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(log))) {
            String line;
            while ((line = in.readLine()) != null) {
                out.println(line);
                if (line.contains(READY_MARKER)) {
                    ready.countDown();
                }
            }
        } catch (IOException e) {
            // The pipe closes when the stopped server is reaped; its log is complete by then.
        }
    }

    private static void createCollection(MilvusClientV2 client, int dim) {
        CreateCollectionReq.CollectionSchema schema = CreateCollectionReq.CollectionSchema.builder().build();
        schema.addField(AddFieldReq.builder().fieldName("id").dataType(DataType.Int64).isPrimaryKey(true).build());
        schema.addField(AddFieldReq.builder().fieldName("vector").dataType(DataType.FloatVector).dimension(dim).build());
        // With index parameters the SDK creates the index and loads the collection, as most applications do.
        client.createCollection(CreateCollectionReq.builder().collectionName(COLLECTION).collectionSchema(schema)
                .indexParams(List.of(IndexParam.builder().fieldName("vector").indexType(IndexParam.IndexType.HNSW)
                        .metricType(IndexParam.MetricType.L2).build()))
                .build());
    }

    /** Polls a Strong count(*) until it answers (the collection may still be loading) and reaches {@code expected}. */
    private static long awaitCount(MilvusClientV2 client, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        long last = -1;
        while (System.nanoTime() < deadline) {
            try {
                QueryResp resp = client.query(QueryReq.builder().collectionName(COLLECTION).filter("")
                        .outputFields(List.of("count(*)")).consistencyLevel(ConsistencyLevel.STRONG).build());
                last = ((Number) resp.getQueryResults().get(0).getEntity().get("count(*)")).longValue();
                if (last == expected) {
                    return last;
                }
            } catch (RuntimeException e) {
                // Not loaded yet: Milvus reports loading collections as not (fully) loaded.
            }
            Thread.sleep(20);
        }
        return last;
    }

    private static long ingest(MilvusClientV2 client, String uri, long from, int rows, int dim, int flushEvery, int tail,
                               Random random) {
        MilvusServiceClient v1 = new MilvusServiceClient(ConnectParam.newBuilder().withUri(uri).build());
        int batch = 5_000;
        long end = from + rows;
        long sinceFlush = 0;
        for (long first = from; first < end; first += batch) {
            int n = (int) Math.min(batch, end - first);
            List<Long> ids = new ArrayList<>(n);
            List<List<Float>> vectors = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                ids.add(first + i);
                List<Float> v = new ArrayList<>(dim);
                for (int d = 0; d < dim; d++) {
                    v.add(random.nextFloat());
                }
                vectors.add(v);
            }
            var resp = v1.insert(InsertParam.newBuilder().withCollectionName(COLLECTION)
                    .withFields(List.of(new InsertParam.Field("id", ids), new InsertParam.Field("vector", vectors))).build());
            if (resp.getStatus() != 0) {
                throw new IllegalStateException("insert failed: " + resp.getMessage());
            }
            sinceFlush += n;
            long left = end - (first + n);
            if ((sinceFlush >= flushEvery && left > tail) || (left == tail && sinceFlush > 0)) {
                client.flush(FlushReq.builder().collectionNames(List.of(COLLECTION)).build());
                sinceFlush = 0;
            }
        }
        v1.close();
        return end;
    }

    private static long size(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
