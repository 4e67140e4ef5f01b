package io.elanus.expr.plan;

import io.elanus.segment.Chunk;

/** Produces one value per row into a {@link Cell}; used where no primitive column loop applies. */
public interface CellSource {

    Reader bind(Chunk chunk);

    /** Rows whose value is unknown (null field) regardless of the operation; may be empty. */
    interface Reader {
        /** Loads row {@code row} into {@code out}; false when the row's value is null (unknown). */
        boolean read(int row, Cell out);
    }
}
