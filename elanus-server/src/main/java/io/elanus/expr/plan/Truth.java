package io.elanus.expr.plan;

import java.util.BitSet;

/**
 * Three-valued result of a predicate over a chunk: rows in {@code trueRows}, rows in
 * {@code falseRows}, and rows in neither, which are unknown (a null operand). Unknown rows never
 * match and stay unknown under {@code not}, so {@code not (x > 1)} does not match a null x, as in
 * Milvus; {@code or} with a true side and {@code and} with a false side still decide.
 */
public record Truth(BitSet trueRows, BitSet falseRows) {

    /** From the matching rows and the unknown rows; every other row is false. */
    public static Truth of(BitSet matches, BitSet unknown, int rowCount) {
        BitSet f = new BitSet(rowCount);
        f.set(0, rowCount);
        f.andNot(matches);
        if (unknown != null) {
            f.andNot(unknown);
            matches.andNot(unknown);
        }
        return new Truth(matches, f);
    }

    public static Truth constant(boolean value, int rowCount) {
        BitSet all = new BitSet(rowCount);
        all.set(0, rowCount);
        return value ? new Truth(all, new BitSet()) : new Truth(new BitSet(), all);
    }

    public static Truth unknown() {
        return new Truth(new BitSet(), new BitSet());
    }

    public Truth not() {
        return new Truth(falseRows, trueRows);
    }

    public Truth and(Truth other) {
        BitSet t = (BitSet) trueRows.clone();
        t.and(other.trueRows);
        BitSet f = (BitSet) falseRows.clone();
        f.or(other.falseRows);
        return new Truth(t, f);
    }

    public Truth or(Truth other) {
        BitSet t = (BitSet) trueRows.clone();
        t.or(other.trueRows);
        BitSet f = (BitSet) falseRows.clone();
        f.and(other.falseRows);
        return new Truth(t, f);
    }
}
