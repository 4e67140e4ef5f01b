package io.elanus.bench;

import io.elanus.segment.FloatVectorColumn;
import io.elanus.vector.FlatSearch;
import io.elanus.vector.FloatQueries;
import io.elanus.vector.IndexSpec;
import io.elanus.vector.MetricType;
import io.elanus.vector.VectorIndex;
import io.elanus.vector.VectorIndexes;
import io.milvus.grpc.DataType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

import static io.elanus.bench.AnnSetup.EFS;
import static io.elanus.bench.AnnSetup.K;
import static io.elanus.bench.AnnSetup.NPROBES;
import static io.elanus.bench.AnnSetup.QUERIES;
import static io.elanus.bench.Measurements.log;
import static io.elanus.bench.Measurements.measure;
import static io.elanus.bench.Measurements.secs;

/**
 * The in-process leg of the ANN benchmark on GloVe 100-d (angular, i.e. COSINE): exact top-100 ground truth
 * for the held-out queries (computed once, cached for the other legs), then build time, recall@10 and
 * single-query throughput on 1 and 2 threads for Elanus's HNSW (ef sweep), IVF_FLAT (nprobe sweep) and
 * FLAT, plus the other engines that {@link Engines} finds.
 * Usage: AnnBenchmark glove.json workDir results.tsv
 */
public final class AnnBenchmark {
    private AnnBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path json = Path.of(args[0]);
        Path work = Path.of(args[1]);
        Path resultsFile = Path.of(args[2]);
        Files.createDirectories(work);
        long t0 = System.nanoTime();
        GloveData data = GloveData.load(json, QUERIES, AnnSetup.SEED);
        log("loaded %d base vectors, %d queries in %.1fs", data.baseCount(), QUERIES, secs(t0));
        int[] truth = GroundTruth.readOrCompute(data, work);
        List<AnnResult> results = new ArrayList<>();
        FloatVectorColumn column = new FloatVectorColumn(DataType.FloatVector, data.dim(), data.base(), new BitSet());

        IndexSpec hnsw = VectorIndexes.validate(DataType.FloatVector, data.dim(), Map.of("index_type", "HNSW",
                "metric_type", "COSINE", "M", Integer.toString(AnnSetup.M), "efConstruction", Integer.toString(AnnSetup.EF_CONSTRUCTION)));
        t0 = System.nanoTime();
        VectorIndex hnswIndex = VectorIndexes.build(hnsw, column);
        double hnswBuild = secs(t0);
        log("Elanus HNSW built in %.1fs", hnswBuild);
        for (int ef : EFS) {
            Map<String, String> params = Map.of("ef", Integer.toString(Math.max(ef, K)));
            results.add(measure("Elanus HNSW", AnnSetup.hnswBuild(), "ef=" + ef, hnswBuild, truth, data,
                    q -> hnswIndex.search(new FloatQueries(data.dim(), new float[][]{q}), K, null, params).rows()));
        }

        IndexSpec ivf = VectorIndexes.validate(DataType.FloatVector, data.dim(), Map.of("index_type", "IVF_FLAT",
                "metric_type", "COSINE", "nlist", Integer.toString(AnnSetup.NLIST)));
        t0 = System.nanoTime();
        VectorIndex ivfIndex = VectorIndexes.build(ivf, column);
        double ivfBuild = secs(t0);
        log("Elanus IVF_FLAT built in %.1fs", ivfBuild);
        for (int nprobe : NPROBES) {
            Map<String, String> params = Map.of("nprobe", Integer.toString(nprobe));
            results.add(measure("Elanus IVF_FLAT", AnnSetup.ivfBuild(), "nprobe=" + nprobe, ivfBuild, truth, data,
                    q -> ivfIndex.search(new FloatQueries(data.dim(), new float[][]{q}), K, null, params).rows()));
        }
        results.add(measure("Elanus FLAT (brute force)", "-", "-", 0, truth, data, 500,
                q -> FlatSearch.search(column, MetricType.COSINE, new FloatQueries(data.dim(), new float[][]{q}), K, null).rows(),
                Measurements.PassObserver.NONE));

        results.addAll(Engines.others(data, truth, work));
        ResultsFile.write(resultsFile, data, results);
        log("wrote %s", resultsFile);
    }
}
