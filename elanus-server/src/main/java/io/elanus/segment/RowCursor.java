package io.elanus.segment;

import io.milvus.grpc.FieldData;

import java.util.BitSet;

/**
 * Maps the rows of an insert to positions in a {@link FieldData}'s value arrays. With nulls,
 * the SDKs send values for the valid rows only ("compact": pymilvus entity_helper and
 * milvus-sdk-java ParamUtils.genFieldData both drop null rows); other clients may send one
 * placeholder per row ("padded"). Both forms are accepted.
 */
public final class RowCursor {
    private final BitSet nulls;
    private final boolean compact;
    private int next;

    private RowCursor(BitSet nulls, boolean compact) {
        this.nulls = nulls;
        this.compact = compact;
    }

    /** Null rows from {@code valid_data} (empty valid_data: every row valid). */
    public static BitSet nullsOf(FieldData data, int numRows) {
        BitSet nulls = new BitSet();
        int n = data.getValidDataCount();
        if (n == 0) {
            return nulls;
        }
        if (n != numRows) {
            throw new IllegalArgumentException("field " + data.getFieldName() + " has " + n
                    + " valid_data entries for " + numRows + " rows");
        }
        for (int i = 0; i < n; i++) {
            if (!data.getValidData(i)) {
                nulls.set(i);
            }
        }
        return nulls;
    }

    /**
     * A cursor over {@code dataRows} values for {@code numRows} rows with the given nulls.
     *
     * @throws IllegalArgumentException when the count fits neither the compact nor the padded form
     */
    public static RowCursor of(BitSet nulls, int numRows, int dataRows, String fieldName) {
        if (dataRows == numRows) {
            return new RowCursor(nulls, false);
        }
        if (dataRows == numRows - nulls.cardinality()) {
            return new RowCursor(nulls, true);
        }
        throw new IllegalArgumentException("field " + fieldName + " has " + dataRows + " values for "
                + numRows + " rows with " + nulls.cardinality() + " nulls");
    }

    /** Value rows the data must hold for either form to be accepted: compact count, or numRows. */
    public static boolean acceptsCount(BitSet nulls, int numRows, int dataRows) {
        return dataRows == numRows || dataRows == numRows - nulls.cardinality();
    }

    /** The data position of {@code row}, or -1 for a null row. Rows must be visited in order 0..n-1. */
    public int advance(int row) {
        if (nulls.get(row)) {
            if (!compact) {
                next++;
            }
            return -1;
        }
        return next++;
    }
}
