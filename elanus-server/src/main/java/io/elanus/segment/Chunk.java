package io.elanus.segment;

import java.util.Map;

/**
 * An immutable block of rows in columnar form: a growing segment is a list of chunks (one per
 * insert message), a sealed segment one chunk. {@code timestamps[i]} is the TSO time row i was
 * inserted at (MVCC visibility); {@code columns} has every schema field by field id, the dynamic
 * field included.
 */
public record Chunk(int rowCount, long[] timestamps, Map<Long, Column> columns) {

    public Column column(long fieldId) {
        Column c = columns.get(fieldId);
        if (c == null) {
            throw new IllegalArgumentException("chunk has no field " + fieldId);
        }
        return c;
    }
}
