package io.elanus.bench;

import java.nio.file.Path;

/**
 * Prepares the GloVe split for engines outside the JVM: the cached ground truth (computed if missing) and the
 * base vectors and queries as raw float32 files, all in workDir.
 * Usage: GlovePrepare glove.json workDir
 */
public final class GlovePrepare {
    private GlovePrepare() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[1]);
        GloveData data = GloveData.load(Path.of(args[0]), AnnSetup.QUERIES, AnnSetup.SEED);
        GroundTruth.readOrCompute(data, work);
        data.writeRaw(work);
    }
}
