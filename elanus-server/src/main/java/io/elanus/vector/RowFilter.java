package io.elanus.vector;

import java.util.BitSet;

/** The rows a search may return: the caller's filter minus rows holding a null vector. */
final class RowFilter {
    private RowFilter() {
    }

    /** Eligible rows below {@code size}, or {@code null} when every row is eligible. */
    static BitSet eligible(int size, BitSet allowed, BitSet nulls) {
        boolean noNulls = nulls == null || nulls.isEmpty();
        if (allowed == null && noNulls) {
            return null;
        }
        BitSet rows;
        if (allowed == null) {
            rows = new BitSet(size);
            rows.set(0, size);
        } else {
            rows = (BitSet) allowed.clone();
            if (rows.length() > size) {
                rows.clear(size, rows.length());
            }
        }
        if (!noNulls) {
            rows.andNot(nulls);
        }
        return rows;
    }

    static int count(int size, BitSet eligible) {
        return eligible == null ? size : eligible.cardinality();
    }
}
