package io.elanus.bench;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The exact top-{@value AnnSetup#GROUND_TRUTH_K} base-set positions of every query, best first, as one
 * query-major array; cached in a file named after the query seed.
 */
final class GroundTruth {
    private GroundTruth() {
    }

    static Path file(Path work) {
        return work.resolve("glove-gt-" + AnnSetup.SEED + ".bin");
    }

    static int[] read(Path file) throws IOException {
        int[] gt = new int[AnnSetup.QUERIES * AnnSetup.GROUND_TRUTH_K];
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            for (int i = 0; i < gt.length; i++) {
                gt[i] = in.readInt();
            }
        }
        return gt;
    }

    static void write(Path file, int[] gt) throws IOException {
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
            for (int v : gt) {
                out.writeInt(v);
            }
        }
    }

    /** Share of the true top-{@value AnnSetup#K} found among each query's first {@value AnnSetup#K} results. */
    static double recall(int[][] found, int[] truth) {
        long hits = 0;
        for (int q = 0; q < AnnSetup.QUERIES; q++) {
            for (int i = 0; i < AnnSetup.K; i++) {
                int want = truth[q * AnnSetup.GROUND_TRUTH_K + i];
                for (int j = 0; j < Math.min(AnnSetup.K, found[q].length); j++) {
                    if (found[q][j] == want) {
                        hits++;
                        break;
                    }
                }
            }
        }
        return (double) hits / (AnnSetup.QUERIES * (long) AnnSetup.K);
    }
}
