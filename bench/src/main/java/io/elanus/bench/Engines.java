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
}
