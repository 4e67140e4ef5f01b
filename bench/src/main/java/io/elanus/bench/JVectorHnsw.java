package io.elanus.bench;

import io.github.jbellis.jvector.graph.GraphIndexBuilder;
import io.github.jbellis.jvector.graph.GraphSearcher;
import io.github.jbellis.jvector.graph.ImmutableGraphIndex;
import io.github.jbellis.jvector.graph.ListRandomAccessVectorValues;
import io.github.jbellis.jvector.graph.SearchResult;
import io.github.jbellis.jvector.graph.similarity.DefaultSearchScoreProvider;
import io.github.jbellis.jvector.util.Bits;
import io.github.jbellis.jvector.vector.VectorSimilarityFunction;
import io.github.jbellis.jvector.vector.VectorizationProvider;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import io.github.jbellis.jvector.vector.types.VectorTypeSupport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * JVector's graph (hierarchical, in memory). JVector's M is the maximum degree, so it gets 2 * M to
 * match HNSW's level-0 degree; beam width = efConstruction, overflow 1.2, alpha 1.2; a search
 * keeps a beam of ef (rerankK) and returns 10.
 */
final class JVectorHnsw {
    private JVectorHnsw() {
    }

    /** JVector's version, from its jar's name (its manifest does not carry one). */
    private static String version() throws Exception {
        String jar = Path.of(GraphIndexBuilder.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .getFileName().toString();
        return jar.replaceFirst("^jvector-", "").replaceFirst("\\.jar$", "");
    }

    static List<AnnResult> run(GloveData data, int[] truth) throws Exception {
        VectorTypeSupport vts = VectorizationProvider.getInstance().getVectorTypeSupport();
        int dim = data.dim();
        List<VectorFloat<?>> vectors = new ArrayList<>(data.baseCount());
        for (int i = 0; i < data.baseCount(); i++) {
            vectors.add(vts.createFloatVector(java.util.Arrays.copyOfRange(data.base(), i * dim, i * dim + dim)));
        }
        ListRandomAccessVectorValues ravv = new ListRandomAccessVectorValues(vectors, dim);
        long t0 = System.nanoTime();
        ImmutableGraphIndex graph;
        try (GraphIndexBuilder builder = new GraphIndexBuilder(ravv, VectorSimilarityFunction.COSINE, 2 * AnnSetup.M,
                AnnSetup.EF_CONSTRUCTION, 1.2f, 1.2f, true)) {
            graph = builder.build(ravv);
        }
        double buildSeconds = Measurements.secs(t0);
        Measurements.log("JVector built in %.1fs", buildSeconds);
        ThreadLocal<GraphSearcher> searchers = ThreadLocal.withInitial(() -> new GraphSearcher(graph));
        String build = "maxDegree=" + 2 * AnnSetup.M + ", beam=" + AnnSetup.EF_CONSTRUCTION;
        List<AnnResult> out = new ArrayList<>();
        for (int ef : AnnSetup.EFS) {
            int beam = Math.max(ef, AnnSetup.K);
            out.add(Measurements.measure("JVector " + version(), build, "ef=" + ef, buildSeconds, truth, data, q -> {
                VectorFloat<?> query = vts.createFloatVector(q);
                SearchResult r = searchers.get().search(DefaultSearchScoreProvider.exact(query, VectorSimilarityFunction.COSINE, ravv),
                        AnnSetup.K, beam, 0f, 0f, Bits.ALL);
                SearchResult.NodeScore[] nodes = r.getNodes();
                int[] ids = new int[nodes.length];
                for (int i = 0; i < nodes.length; i++) {
                    ids[i] = nodes[i].node;
                }
                return ids;
            }));
        }
        return out;
    }
}
