package io.elanus.expr.plan;

import java.util.BitSet;

/** Builds a BitSet word by word, cheaper than one {@code BitSet.set} call a row. */
final class Bits {
    private final long[] words;

    Bits(int rowCount) {
        words = new long[(rowCount + 63) >>> 6];
    }

    void set(int row) {
        words[row >>> 6] |= 1L << row;
    }

    BitSet toBitSet() {
        return BitSet.valueOf(words);
    }
}
