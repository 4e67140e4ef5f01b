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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.elanus.bench.Measurements.secs;

/**
 * The GloVe base vectors in a collection (Int64 id = base-set position, 100-d FloatVector) of a running
 * server, reached through the official Java SDK (MilvusClientV2) as an application would: JSON rows in
 * batches of {@value #BATCH}, CreateIndex, load, and single-vector searches.
 */
final class GloveCollection implements AutoCloseable {
    static final int BATCH = 1_000;
    private static final String NAME = "bench_glove";
    private static final String FIELD = "vector";
    private static final String INDEX = "vector_index";

    private final String uri;
    private final MilvusClientV2 client;
    private final GloveData data;

    GloveCollection(String uri, GloveData data) {
        this.uri = uri;
        this.client = connect(uri);
        this.data = data;
    }

    private static MilvusClientV2 connect(String uri) {
        return new MilvusClientV2(ConnectConfig.builder().uri(uri).rpcDeadlineMs(600_000).build());
    }

    /** Drops the collection if it exists and creates it empty, with {@code level} as its default consistency. */
    void recreate(ConsistencyLevel level) {
        if (client.hasCollection(HasCollectionReq.builder().collectionName(NAME).build())) {
            client.dropCollection(DropCollectionReq.builder().collectionName(NAME).build());
        }
        CreateCollectionReq.CollectionSchema schema = CreateCollectionReq.CollectionSchema.builder().build();
        schema.addField(AddFieldReq.builder().fieldName("id").dataType(DataType.Int64).isPrimaryKey(true).build());
        schema.addField(AddFieldReq.builder().fieldName(FIELD).dataType(DataType.FloatVector).dimension(data.dim()).build());
        client.createCollection(CreateCollectionReq.builder().collectionName(NAME).collectionSchema(schema)
                .consistencyLevel(level).build());
    }

    /**
     * Inserts every base vector in batches of {@value #BATCH} rows from {@code clients} concurrent SDK clients
     * (each its own MilvusClientV2 and thread, taking the next batch in turn); returns rows/s. Building a
     * batch's JSON rows is part of the time, as in an application.
     */
    double insert(int clients) throws Exception {
        int batches = (data.baseCount() + BATCH - 1) / BATCH;
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Exception> failure = new AtomicReference<>();
        List<MilvusClientV2> extra = new ArrayList<>();
        for (int c = 1; c < clients; c++) {
            extra.add(connect(uri));
        }
        Thread[] pool = new Thread[clients];
        long t0 = System.nanoTime();
        try {
            for (int c = 0; c < clients; c++) {
                MilvusClientV2 own = c == 0 ? client : extra.get(c - 1);
                pool[c] = Thread.ofPlatform().name("ingest-" + c).start(() -> {
                    try {
                        for (int b = next.getAndIncrement(); b < batches; b = next.getAndIncrement()) {
                            own.insert(InsertReq.builder().collectionName(NAME).data(rows(b * BATCH)).build());
                        }
                    } catch (Exception e) {
                        failure.compareAndSet(null, e);
                        next.set(batches);
                    }
                });
            }
            for (Thread t : pool) {
                t.join();
            }
        } finally {
            extra.forEach(MilvusClientV2::close);
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return data.baseCount() / secs(t0);
    }

    private List<JsonObject> rows(int from) {
        int dim = data.dim();
        int to = Math.min(data.baseCount(), from + BATCH);
        List<JsonObject> rows = new ArrayList<>(to - from);
        for (int r = from; r < to; r++) {
            JsonObject row = new JsonObject();
            row.addProperty("id", r);
            JsonArray vector = new JsonArray(dim);
            for (int i = 0; i < dim; i++) {
                vector.add(data.base()[r * dim + i]);
            }
            row.add(FIELD, vector);
            rows.add(row);
        }
        return rows;
    }

    /** Flushes the collection; returns the seconds it took. */
    double flush() {
        long t0 = System.nanoTime();
        client.flush(FlushReq.builder().collectionNames(List.of(NAME)).build());
        return secs(t0);
    }

    /**
     * Creates a COSINE index and waits until DescribeIndex reports it finished over every base row; returns
     * the seconds from CreateIndex to then.
     */
    double buildIndex(IndexParam.IndexType type, Map<String, Object> params) throws InterruptedException {
        long t0 = System.nanoTime();
        createIndex(type, params);
        while (true) {
            DescribeIndexResp.IndexDesc d = client.describeIndex(DescribeIndexReq.builder().collectionName(NAME)
                    .fieldName(FIELD).indexName(INDEX).build()).getIndexDescByIndexName(INDEX);
            if (d.getIndexState() == IndexBuildState.Failed) {
                throw new IllegalStateException("index build failed: " + d.getIndexFailedReason());
            }
            if (d.getIndexState() == IndexBuildState.Finished && d.getIndexedRows() == data.baseCount()
                    && d.getPendingIndexRows() == 0) {
                return secs(t0);
            }
            Thread.sleep(200);
        }
    }

    /** Creates a COSINE index without waiting for any build. */
    void createIndex(IndexParam.IndexType type, Map<String, Object> params) {
        client.createIndex(CreateIndexReq.builder().collectionName(NAME).sync(false)
                .indexParams(List.of(IndexParam.builder().fieldName(FIELD).indexName(INDEX).indexType(type)
                        .metricType(IndexParam.MetricType.COSINE).extraParams(params).build())).build());
    }

    void load() throws InterruptedException {
        client.loadCollection(LoadCollectionReq.builder().collectionName(NAME).build());
        while (!client.getLoadState(GetLoadStateReq.builder().collectionName(NAME).build())) {
            Thread.sleep(100);
        }
    }

    /** Releases the collection and drops its index, so that another index can be built. */
    void releaseAndDropIndex() {
        client.releaseCollection(ReleaseCollectionReq.builder().collectionName(NAME).build());
        client.dropIndex(DropIndexReq.builder().collectionName(NAME).fieldName(FIELD).indexName(INDEX).build());
    }

    /** One search call with one query vector (nq=1): the ids (base-set positions) of its top-{@value AnnSetup#K}. */
    int[] search(float[] query, Map<String, Object> searchParams, ConsistencyLevel level) {
        SearchResp resp = client.search(SearchReq.builder().collectionName(NAME).annsField(FIELD)
                .data(List.of(new FloatVec(query))).limit(AnnSetup.K).searchParams(searchParams)
                .consistencyLevel(level).build());
        List<SearchResp.SearchResult> hits = resp.getSearchResults().getFirst();
        int[] ids = new int[hits.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = ((Number) hits.get(i).getId()).intValue();
        }
        return ids;
    }

    @Override
    public void close() {
        client.close();
    }
}
