package io.elanus.bench;

import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.common.IndexParam;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.elanus.bench.Measurements.log;

/**
 * The server leg of the ANN benchmark: the in-process leg's GloVe split, ground truth and sweeps, through a
 * running standalone server and the official Java SDK. Inserts the base vectors (id = base-set position),
 * flushes, then for HNSW and IVF_FLAT in turn creates the index, waits until DescribeIndex reports every
 * row indexed (the build time), loads, sweeps ef / nprobe with one query per search call on 1 and 2
 * client threads, and releases and drops the index.
 * Usage: GrpcAnnBenchmark uri glove.json workDir results.tsv (the ground truth is read from workDir, or computed and cached there)
 */
public final class GrpcAnnBenchmark {
    private final GloveCollection collection;
    private final GloveData data;
    private final int[] truth;

    private GrpcAnnBenchmark(GloveCollection collection, GloveData data, int[] truth) {
        this.collection = collection;
        this.data = data;
        this.truth = truth;
    }

    public static void main(String[] args) throws Exception {
        String uri = args[0];
        Path json = Path.of(args[1]);
        Path work = Path.of(args[2]);
        Path resultsFile = Path.of(args[3]);
        GloveData data = GloveData.load(json, AnnSetup.QUERIES, AnnSetup.SEED);
        int[] truth = GroundTruth.readOrCompute(data, work);
        try (GloveCollection collection = new GloveCollection(uri, data)) {
            GrpcAnnBenchmark bench = new GrpcAnnBenchmark(collection, data, truth);
            collection.recreate(ConsistencyLevel.BOUNDED);
            log("inserted %d rows at %.0f rows/s", data.baseCount(), collection.insert(1));
            log("flushed in %.1fs", collection.flush());
            List<AnnResult> results = new ArrayList<>();
            results.addAll(bench.sweep("HNSW", IndexParam.IndexType.HNSW, AnnSetup.hnswBuild(),
                    Map.of("M", AnnSetup.M, "efConstruction", AnnSetup.EF_CONSTRUCTION), "ef", AnnSetup.EFS));
            results.addAll(bench.sweep("IVF_FLAT", IndexParam.IndexType.IVF_FLAT, AnnSetup.ivfBuild(),
                    Map.of("nlist", AnnSetup.NLIST), "nprobe", AnnSetup.NPROBES));
            ResultsFile.write(resultsFile, data, results);
            log("wrote %s", resultsFile);
        }
    }

    private List<AnnResult> sweep(String indexName, IndexParam.IndexType type, String build, Map<String, Object> buildParams,
                                  String searchParam, int[] values) throws Exception {
        String engine = "Elanus " + indexName + RecallQpsPlot.VIA_SERVER;
        double buildSeconds = collection.buildIndex(type, buildParams);
        log("%s built in %.1fs", engine, buildSeconds);
        collection.load();
        List<AnnResult> results = new ArrayList<>();
        for (int value : values) {
            Map<String, Object> params = Map.of(searchParam, value);
            results.add(Measurements.measure(engine, build, searchParam + "=" + value, buildSeconds, truth, data,
                    q -> collection.search(q, params, ConsistencyLevel.BOUNDED)));
        }
        collection.releaseAndDropIndex();
        return results;
    }
}
