package io.elanus.bench;

import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Version;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Lucene's HNSW (maxConn = M, beamWidth = efConstruction) in one segment; a search asks
 * KnnFloatVectorQuery for ef hits (Lucene's beam is its k) and keeps the first 10.
 */
final class LuceneHnsw {
    private LuceneHnsw() {
    }

    static List<AnnResult> run(GloveData data, int[] truth, Path dir) throws Exception {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        int dim = data.dim();
        String build = AnnSetup.hnswBuild();
        List<AnnResult> out = new ArrayList<>();
        try (FSDirectory directory = FSDirectory.open(dir)) {
            IndexWriterConfig config = new IndexWriterConfig().setCodec(new Lucene104Codec() {
                @Override
                public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                    return new Lucene99HnswVectorsFormat(AnnSetup.M, AnnSetup.EF_CONSTRUCTION);
                }
            }).setRAMBufferSizeMB(4096).setUseCompoundFile(false);
            long t0 = System.nanoTime();
            try (IndexWriter writer = new IndexWriter(directory, config)) {
                for (int i = 0; i < data.baseCount(); i++) {
                    Document doc = new Document();
                    doc.add(new KnnFloatVectorField("v", GroundTruth.unit(data.base(), i * dim, dim), VectorSimilarityFunction.DOT_PRODUCT));
                    writer.addDocument(doc);
                }
                writer.commit();
            }
            double buildSeconds = Measurements.secs(t0);
            Measurements.log("Lucene HNSW built in %.1fs", buildSeconds);
            try (DirectoryReader reader = DirectoryReader.open(directory)) {
                if (reader.leaves().size() != 1) {
                    throw new IllegalStateException("expected one Lucene segment, got " + reader.leaves().size());
                }
                IndexSearcher searcher = new IndexSearcher(reader);
                for (int ef : AnnSetup.EFS) {
                    int beam = Math.max(ef, AnnSetup.K);
                    out.add(Measurements.measure("Lucene " + Version.LATEST + " HNSW", build, "ef=" + ef, buildSeconds, truth, data, q -> {
                        TopDocs top = searcher.search(new KnnFloatVectorQuery("v", GroundTruth.unit(q, 0, dim), beam), beam);
                        int n = Math.min(AnnSetup.K, top.scoreDocs.length);
                        int[] ids = new int[n];
                        ScoreDoc[] docs = top.scoreDocs;
                        for (int i = 0; i < n; i++) {
                            ids[i] = docs[i].doc;
                        }
                        return ids;
                    }));
                }
            }
        }
        return out;
    }
}
