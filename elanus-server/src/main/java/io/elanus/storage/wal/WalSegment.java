package io.elanus.storage.wal;

import io.elanus.storage.file.AppendFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One segment file of a channel: the records from {@link #baseOffset} on, with an in-memory index
 * of each record's file position (rebuilt by scanning on open).
 */
final class WalSegment {

    private final long baseOffset;
    private final AppendFile file;
    private long[] positions;
    private int count;

    private WalSegment(long baseOffset, AppendFile file, long[] positions, int count) {
        this.baseOffset = baseOffset;
        this.file = file;
        this.positions = positions;
        this.count = count;
    }

    static String fileName(long baseOffset) {
        return String.format("%020d.seg", baseOffset);
    }

    static WalSegment create(Path dir, long baseOffset) throws IOException {
        return new WalSegment(baseOffset, AppendFile.create(dir.resolve(fileName(baseOffset))), new long[1024], 0);
    }

    /** Opens a recovered segment whose good frames start at {@code positions[0..count)} and end at {@code size}. */
    static WalSegment open(Path file, long baseOffset, long[] positions, int count, long size) throws IOException {
        return new WalSegment(baseOffset, AppendFile.open(file, size), positions.length == 0 ? new long[1024] : positions, count);
    }

    long baseOffset() {
        return baseOffset;
    }

    Path file() {
        return file.path();
    }

    /** Offset after the last record. */
    synchronized long endOffset() {
        return baseOffset + count;
    }

    long size() {
        return file.end();
    }

    /** Writes a record at the end; the caller holds the channel's append lock. */
    void append(byte[] payload) throws IOException {
        long position = file.append(payload);
        synchronized (this) {
            if (count == positions.length) {
                positions = Arrays.copyOf(positions, count * 2);
            }
            positions[count++] = position;
        }
    }

    byte[] read(long offset) throws IOException {
        long position;
        synchronized (this) {
            position = positions[(int) (offset - baseOffset)];
        }
        return file.read(position);
    }

    void force() throws IOException {
        file.force();
    }

    void close() throws IOException {
        file.close();
    }
}
