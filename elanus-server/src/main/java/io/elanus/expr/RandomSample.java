package io.elanus.expr;

import java.util.BitSet;
import java.util.SplittableRandom;

/**
 * {@code random_sample(p)}: keeps round(p * n) of the n rows that pass the rest of the filter,
 * chosen uniformly; like Milvus, sampling applies per segment (here per chunk) after filtering.
 */
final class RandomSample {
    private RandomSample() {
    }

    static BitSet sample(BitSet rows, double factor) {
        int n = rows.cardinality();
        int keep = (int) Math.round(factor * n);
        int[] candidates = rows.stream().toArray();
        SplittableRandom random = new SplittableRandom();
        // partial Fisher-Yates: the first `keep` slots end up a uniform sample
        for (int i = 0; i < keep; i++) {
            int j = i + random.nextInt(n - i);
            int t = candidates[i];
            candidates[i] = candidates[j];
            candidates[j] = t;
        }
        BitSet out = new BitSet();
        for (int i = 0; i < keep; i++) {
            out.set(candidates[i]);
        }
        return out;
    }
}
