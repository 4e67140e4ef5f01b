package io.elanus.bench;

import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.common.DataType;
import io.milvus.v2.common.IndexParam;
import io.milvus.v2.service.collection.request.AddFieldReq;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.collection.request.DropCollectionReq;
import io.milvus.v2.service.collection.request.GetLoadStateReq;
import io.milvus.v2.service.collection.request.HasCollectionReq;
import io.milvus.v2.service.collection.request.LoadCollectionReq;
import io.milvus.v2.service.utility.request.FlushReq;
import io.milvus.v2.service.vector.request.InsertReq;
import io.milvus.v2.service.vector.request.SearchReq;
import io.milvus.v2.service.vector.request.data.FloatVec;
import io.milvus.v2.service.vector.response.SearchResp;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ingest and exact-search throughput of a running Elanus (or Milvus) server through the official
 * Java SDK: {@code rows} random {@code dim}-d float vectors inserted in batches of {@code batch} by
 * one client (rows/s), then a FLAT index, load, and single-vector top-10 searches for
 * {@code seconds} on 1 and 2 client threads (queries/s). Prints one "key=value" line per figure.
 * Each search is checked against the expected exact neighbour of a stored vector (itself).
 */
public final class ServerBench {
    public static void main(String[] args) throws Exception {
        String uri = args[0];
        int rows = Integer.parseInt(args[1]);
        int dim = Integer.parseInt(args[2]);
        int batch = Integer.parseInt(args[3]);
        int seconds = Integer.parseInt(args[4]);
        String name = "bench_flat";
        MilvusClientV2 client = new MilvusClientV2(ConnectConfig.builder().uri(uri).rpcDeadlineMs(600_000).build());
        if (client.hasCollection(HasCollectionReq.builder().collectionName(name).build())) {
            client.dropCollection(DropCollectionReq.builder().collectionName(name).build());
        }
        CreateCollectionReq.CollectionSchema schema = CreateCollectionReq.CollectionSchema.builder().build();
        schema.addField(AddFieldReq.builder().fieldName("id").dataType(DataType.Int64).isPrimaryKey(true).build());
        schema.addField(AddFieldReq.builder().fieldName("vector").dataType(DataType.FloatVector).dimension(dim).build());
        client.createCollection(CreateCollectionReq.builder().collectionName(name).collectionSchema(schema)
                .consistencyLevel(ConsistencyLevel.BOUNDED).build());

        Random random = new Random(7);
        float[][] data = new float[rows][dim];
        for (float[] v : data) {
            for (int i = 0; i < dim; i++) {
                v[i] = random.nextFloat() * 2 - 1;
            }
        }
        // Column-based inserts through the v1 client (what bulk loaders use): the client does little work,
        // so this measures the server. Then row-based inserts through MilvusClientV2 (JSON rows), as most apps do.
        io.milvus.client.MilvusServiceClient v1 = new io.milvus.client.MilvusServiceClient(
                io.milvus.param.ConnectParam.newBuilder().withUri(uri).build());
        int columnRows = rows / 2;
        long start = System.nanoTime();
        for (int from = 0; from < columnRows; from += batch) {
            int to = Math.min(columnRows, from + batch);
            List<Long> ids = new ArrayList<>(to - from);
            List<List<Float>> vectors = new ArrayList<>(to - from);
            for (int r = from; r < to; r++) {
                ids.add((long) r);
                List<Float> vec = new ArrayList<>(dim);
                for (float x : data[r]) {
                    vec.add(x);
                }
                vectors.add(vec);
            }
            var resp = v1.insert(io.milvus.param.dml.InsertParam.newBuilder().withCollectionName(name)
                    .withFields(List.of(new io.milvus.param.dml.InsertParam.Field("id", ids),
                            new io.milvus.param.dml.InsertParam.Field("vector", vectors))).build());
            if (resp.getStatus() != 0) {
                throw new IllegalStateException("insert failed: " + resp.getMessage());
            }
        }
        System.out.printf("ingest_columns_rows_per_s=%.0f%n", columnRows / ((System.nanoTime() - start) / 1e9));
        v1.close();

        start = System.nanoTime();
        for (int from = columnRows; from < rows; from += batch) {
            List<JsonObject> rowsOfBatch = new ArrayList<>(batch);
            for (int r = from; r < Math.min(rows, from + batch); r++) {
                JsonObject row = new JsonObject();
                row.addProperty("id", r);
                JsonArray vec = new JsonArray(dim);
                for (float x : data[r]) {
                    vec.add(x);
                }
                row.add("vector", vec);
                rowsOfBatch.add(row);
            }
            client.insert(InsertReq.builder().collectionName(name).data(rowsOfBatch).build());
        }
        double ingestSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("ingest_rows_per_s=%.0f%n", (rows - columnRows) / ingestSeconds);

        long flushStart = System.nanoTime();
        client.flush(FlushReq.builder().collectionNames(List.of(name)).build());
        System.out.printf("flush_s=%.2f%n", (System.nanoTime() - flushStart) / 1e9);
        client.createIndex(io.milvus.v2.service.index.request.CreateIndexReq.builder().collectionName(name)
                .indexParams(List.of(IndexParam.builder().fieldName("vector").indexType(IndexParam.IndexType.FLAT)
                        .metricType(IndexParam.MetricType.L2).build())).build());
        long loadStart = System.nanoTime();
        client.loadCollection(LoadCollectionReq.builder().collectionName(name).build());
        while (!client.getLoadState(GetLoadStateReq.builder().collectionName(name).build())) {
            Thread.sleep(100);
        }
        System.out.printf("load_s=%.2f%n", (System.nanoTime() - loadStart) / 1e9);

        for (int threads : new int[]{1, 2}) {
            System.out.printf("flat_search_qps_%dthread=%.1f%n", threads, searchQps(client, name, data, threads, seconds));
        }
        client.close();
    }

    private static double searchQps(MilvusClientV2 client, String name, float[][] data, int threads, int seconds)
            throws InterruptedException {
        AtomicLong done = new AtomicLong();
        AtomicLong wrong = new AtomicLong();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int seed = t;
            Thread w = new Thread(() -> {
                Random r = new Random(seed);
                while (System.nanoTime() < deadline) {
                    int target = r.nextInt(data.length);
                    SearchResp resp = client.search(SearchReq.builder().collectionName(name)
                            .data(List.of(new FloatVec(data[target]))).limit(10).build());
                    Object top = resp.getSearchResults().get(0).get(0).getId();
                    if (((Number) top).intValue() != target) {
                        wrong.incrementAndGet();
                    }
                    done.incrementAndGet();
                }
            });
            w.start();
            workers.add(w);
        }
        long begin = System.nanoTime();
        for (Thread w : workers) {
            w.join();
        }
        double elapsed = (System.nanoTime() - begin) / 1e9;
        if (wrong.get() > 0) {
            throw new IllegalStateException(wrong.get() + " searches did not return the query vector itself first");
        }
        return done.get() / elapsed;
    }
}
