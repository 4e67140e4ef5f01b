package io.elanus.storage.wal;

import java.time.Duration;

/** Sequential consumer of one channel. Not thread-safe: one owner thread. */
public interface WalReader extends AutoCloseable {

    /** The next record, waiting up to {@code timeout} for one to be appended; null on timeout. */
    WalRecord poll(Duration timeout) throws InterruptedException;

    /** The offset of the record the next poll returns. */
    long nextOffset();

    @Override
    void close();
}
