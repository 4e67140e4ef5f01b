package io.elanus.storage.wal;

import java.time.Duration;

/** Reads one channel of an {@link EmbeddedWal}, waiting on the channel's group-commit signal. */
final class EmbeddedWalReader implements WalReader {

    private final WalChannel channel;
    private final EmbeddedWal wal;
    private long nextOffset;
    private boolean closed;

    EmbeddedWalReader(EmbeddedWal wal, WalChannel channel, long fromOffset) {
        this.wal = wal;
        this.channel = channel;
        this.nextOffset = fromOffset;
    }

    @Override
    public WalRecord poll(Duration timeout) throws InterruptedException {
        if (closed) {
            throw new IllegalStateException("WAL reader closed");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (channel.durableEnd() <= nextOffset) {
            wal.ensureOpen();
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return null;
            }
            channel.awaitDurable(nextOffset + 1, remaining);
        }
        byte[] payload = channel.read(nextOffset);
        WalRecord record = new WalRecord(new WalPosition(channel.name(), nextOffset), payload);
        nextOffset++;
        return record;
    }

    @Override
    public long nextOffset() {
        return nextOffset;
    }

    @Override
    public void close() {
        closed = true;
    }
}
