package io.elanus.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.common.DataType;
import io.milvus.v2.common.IndexBuildState;
import io.milvus.v2.common.IndexParam;
import io.milvus.v2.service.collection.request.AddFieldReq;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.collection.request.DropCollectionReq;
import io.milvus.v2.service.collection.request.GetLoadStateReq;
import io.milvus.v2.service.collection.request.HasCollectionReq;
import io.milvus.v2.service.collection.request.LoadCollectionReq;
import io.milvus.v2.service.collection.request.ReleaseCollectionReq;
import io.milvus.v2.service.index.request.CreateIndexReq;
import io.milvus.v2.service.index.request.DescribeIndexReq;
import io.milvus.v2.service.index.request.DropIndexReq;
import io.milvus.v2.service.index.response.DescribeIndexResp;
import io.milvus.v2.service.utility.request.FlushReq;
import io.milvus.v2.service.vector.request.InsertReq;
import io.milvus.v2.service.vector.request.SearchReq;
import io.milvus.v2.service.vector.request.data.FloatVec;
import io.milvus.v2.service.vector.response.SearchResp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.elanus.bench.Measurements.log;
import static io.elanus.bench.Measurements.secs;

/**
 * The server leg of the ANN benchmark: the in-process leg's GloVe split, ground truth and sweeps, through a
 * running standalone server and the official Java SDK. Inserts the base vectors (id = base-set position),
 * flushes, then for HNSW and IVF_FLAT in turn creates the index, waits until DescribeIndex reports every
 * row indexed (the build time), loads, sweeps ef / nprobe with one query per search call on 1 and 2
 * client threads, and releases and drops the index.
 * Usage: GrpcAnnBenchmark uri glove.json workDir results.tsv (the in-process leg must have cached the ground truth in workDir)
 */
public final class GrpcAnnBenchmark {
    private static final String COLLECTION = "bench_glove";
    private static final String FIELD = "vector";
    private static final String INDEX = "vector_index";
    private static final int BATCH = 1_000;

    private final MilvusClientV2 client;
    private final GloveData data;
    private final int[] truth;

    private GrpcAnnBenchmark(MilvusClientV2 client, GloveData data, int[] truth) {
        this.client = client;
        this.data = data;
        this.truth = truth;
    }

    public static void main(String[] args) throws Exception {
        String uri = args[0];
        Path json = Path.of(args[1]);
        Path truthFile = GroundTruth.file(Path.of(args[2]));
        Path resultsFile = Path.of(args[3]);
        if (!Files.exists(truthFile)) {
            throw new IllegalStateException(truthFile + " is missing: run the in-process leg first, it computes the ground truth");
        }
        GloveData data = GloveData.load(json, AnnSetup.QUERIES, AnnSetup.SEED);
        MilvusClientV2 client = new MilvusClientV2(ConnectConfig.builder().uri(uri).rpcDeadlineMs(600_000).build());
        try {
            GrpcAnnBenchmark bench = new GrpcAnnBenchmark(client, data, GroundTruth.read(truthFile));
            bench.ingest();
            List<AnnResult> results = new ArrayList<>();
            results.addAll(bench.sweep("HNSW", IndexParam.IndexType.HNSW, AnnSetup.hnswBuild(),
                    Map.of("M", AnnSetup.M, "efConstruction", AnnSetup.EF_CONSTRUCTION), "ef", AnnSetup.EFS));
            results.addAll(bench.sweep("IVF_FLAT", IndexParam.IndexType.IVF_FLAT, AnnSetup.ivfBuild(),
                    Map.of("nlist", AnnSetup.NLIST), "nprobe", AnnSetup.NPROBES));
            ResultsFile.write(resultsFile, data, results);
            log("wrote %s", resultsFile);
        } finally {
            client.close();
        }
    }

    private void ingest() {
        if (client.hasCollection(HasCollectionReq.builder().collectionName(COLLECTION).build())) {
            client.dropCollection(DropCollectionReq.builder().collectionName(COLLECTION).build());
        }
        CreateCollectionReq.CollectionSchema schema = CreateCollectionReq.CollectionSchema.builder().build();
        schema.addField(AddFieldReq.builder().fieldName("id").dataType(DataType.Int64).isPrimaryKey(true).build());
        schema.addField(AddFieldReq.builder().fieldName(FIELD).dataType(DataType.FloatVector).dimension(data.dim()).build());
        client.createCollection(CreateCollectionReq.builder().collectionName(COLLECTION).collectionSchema(schema)
                .consistencyLevel(ConsistencyLevel.BOUNDED).build());
        long t0 = System.nanoTime();
        int dim = data.dim();
        for (int from = 0; from < data.baseCount(); from += BATCH) {
            List<JsonObject> rows = new ArrayList<>(BATCH);
            for (int r = from; r < Math.min(data.baseCount(), from + BATCH); r++) {
                JsonObject row = new JsonObject();
                row.addProperty("id", r);
                JsonArray vector = new JsonArray(dim);
                for (int i = 0; i < dim; i++) {
                    vector.add(data.base()[r * dim + i]);
                }
                row.add(FIELD, vector);
                rows.add(row);
            }
            client.insert(InsertReq.builder().collectionName(COLLECTION).data(rows).build());
        }
        log("inserted %d rows in %.1fs", data.baseCount(), secs(t0));
        t0 = System.nanoTime();
        client.flush(FlushReq.builder().collectionNames(List.of(COLLECTION)).build());
        log("flushed in %.1fs", secs(t0));
    }

    private List<AnnResult> sweep(String indexName, IndexParam.IndexType type, String build, Map<String, Object> buildParams,
                                  String searchParam, int[] values) throws Exception {
        String engine = "Elanus " + indexName + RecallQpsPlot.VIA_SERVER;
        long t0 = System.nanoTime();
        client.createIndex(CreateIndexReq.builder().collectionName(COLLECTION).sync(false)
                .indexParams(List.of(IndexParam.builder().fieldName(FIELD).indexName(INDEX).indexType(type)
                        .metricType(IndexParam.MetricType.COSINE).extraParams(buildParams).build())).build());
        awaitIndexed();
        double buildSeconds = secs(t0);
        log("%s built in %.1fs", engine, buildSeconds);
        client.loadCollection(LoadCollectionReq.builder().collectionName(COLLECTION).build());
        while (!client.getLoadState(GetLoadStateReq.builder().collectionName(COLLECTION).build())) {
            Thread.sleep(100);
        }
        List<AnnResult> results = new ArrayList<>();
        for (int value : values) {
            Map<String, Object> params = Map.of(searchParam, value);
            results.add(Measurements.measure(engine, build, searchParam + "=" + value, buildSeconds, truth, data,
                    q -> search(q, params)));
        }
        client.releaseCollection(ReleaseCollectionReq.builder().collectionName(COLLECTION).build());
        client.dropIndex(DropIndexReq.builder().collectionName(COLLECTION).fieldName(FIELD).indexName(INDEX).build());
        return results;
    }

    private int[] search(float[] query, Map<String, Object> params) {
        return ids(client.search(SearchReq.builder().collectionName(COLLECTION).annsField(FIELD)
                .data(List.of(new FloatVec(query))).limit(AnnSetup.K).searchParams(params).build()));
    }

    /** Waits until DescribeIndex reports the index finished over every base row. */
    private void awaitIndexed() throws InterruptedException {
        while (true) {
            DescribeIndexResp.IndexDesc d = client.describeIndex(DescribeIndexReq.builder().collectionName(COLLECTION)
                    .fieldName(FIELD).indexName(INDEX).build()).getIndexDescByIndexName(INDEX);
            if (d.getIndexState() == IndexBuildState.Failed) {
                throw new IllegalStateException("index build failed: " + d.getIndexFailedReason());
            }
            if (d.getIndexState() == IndexBuildState.Finished && d.getIndexedRows() == data.baseCount()
                    && d.getPendingIndexRows() == 0) {
                return;
            }
            Thread.sleep(200);
        }
    }

    private static int[] ids(SearchResp resp) {
        List<SearchResp.SearchResult> hits = resp.getSearchResults().getFirst();
        int[] ids = new int[hits.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = ((Number) hits.get(i).getId()).intValue();
        }
        return ids;
    }
}
