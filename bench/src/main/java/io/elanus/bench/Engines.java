package io.elanus.bench;

import java.util.ArrayList;
import java.util.List;

/** Other HNSW engines measured with the same M and efConstruction, on the same data and queries. */
final class Engines {
    private Engines() {
    }

    static List<AnnResult> others(GloveData data, int[] truth, java.nio.file.Path work) throws Exception {
        List<AnnResult> out = new ArrayList<>();
        out.addAll(LuceneHnsw.run(data, truth, work.resolve("lucene-index")));
        out.addAll(JVectorHnsw.run(data, truth));
        return out;
    }

    /** A unit-length copy (Lucene's DOT_PRODUCT needs unit vectors; ranking equals cosine). */
    static float[] unit(float[] v, int off, int dim) {
        double sq = 0;
        for (int i = 0; i < dim; i++) {
            sq += (double) v[off + i] * v[off + i];
        }
        float[] u = new float[dim];
        float s = sq == 0 ? 0 : (float) (1 / Math.sqrt(sq));
        for (int i = 0; i < dim; i++) {
            u[i] = v[off + i] * s;
        }
        return u;
    }
}
