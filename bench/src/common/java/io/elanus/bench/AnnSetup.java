package io.elanus.bench;

/** The parameters every leg of the ANN benchmark shares, so their figures compare. */
final class AnnSetup {
    static final int QUERIES = 10_000;
    static final long SEED = 42;
    static final int GROUND_TRUTH_K = 100;
    static final int K = 10;
    static final int M = 16;
    static final int EF_CONSTRUCTION = 200;
    static final int[] EFS = {10, 20, 40, 80, 160, 200, 240, 320};
    static final int NLIST = 1024;
    static final int[] NPROBES = {4, 8, 16, 32, 64, 128};
    /** Timed passes per sweep point; queries/s is the best of them. */
    static final int PASSES = 3;

    private AnnSetup() {
    }

    static String hnswBuild() {
        return "M=" + M + ", efC=" + EF_CONSTRUCTION;
    }

    static String ivfBuild() {
        return "nlist=" + NLIST;
    }
}
