package io.elanus.storage.wal;

import java.util.List;
import java.util.Set;

/**
 * The write-ahead log: named channels (Milvus's physical channels, e.g. {@code elanus-dml_0}),
 * each an ordered sequence of opaque records addressed by a dense, increasing offset starting at 0.
 *
 * <p>{@link #append} returns only once the record is durable (it survives a kill -9 of the
 * process); implementations may group-commit concurrent appends. Thread-safe.
 */
public interface Wal extends AutoCloseable {

    /** Appends one record durably; returns its position. Creates the channel on first use. */
    WalPosition append(String channel, byte[] payload);

    /**
     * A reader that yields the records of {@code channel} at offsets {@code >= fromOffset} in order,
     * including ones appended after it was opened. A reader is used by one thread.
     */
    WalReader openReader(String channel, long fromOffset);

    /** The offset the next append to the channel will get (0 for an empty or unknown channel). */
    long endOffset(String channel);

    /**
     * Allows the log to drop records before {@code offset} (everything before it is persisted
     * elsewhere). Records at or after it stay readable.
     */
    void truncateBefore(String channel, long offset);

    /** The smallest offset still readable (0 unless truncated). */
    long startOffset(String channel);

    Set<String> channels();

    /**
     * Faults of the backend now, each naming its cause (e.g. the disk is full): health reports them
     * until they clear. Empty when healthy.
     */
    default List<String> activeFaults() {
        return List.of();
    }

    @Override
    void close();
}
