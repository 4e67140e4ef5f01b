package io.elanus.storage.wal;

import io.elanus.storage.file.AppendFile;
import io.elanus.storage.file.ChannelOpener;

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

    static WalSegment create(Path dir, long baseOffset, ChannelOpener opener) throws IOException {
        return new WalSegment(baseOffset, AppendFile.create(dir.resolve(fileName(baseOffset)), opener), new long[1024], 0);
    }

    /** Opens a recovered segment whose good frames start at {@code positions[0..count)} and end at {@code size}. */
    static WalSegment open(Path file, long baseOffset, long[] positions, int count, long size, ChannelOpener opener)
            throws IOException {
        return new WalSegment(baseOffset, AppendFile.open(file, size, opener),
                positions.length == 0 ? new long[1024] : positions, count);
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

    /** The identity the file had when opened (see {@link AppendFile#identity}). */
    Object identity() {
        return file.identity();
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

    /**
     * Drops the records from {@code offset} on (never acknowledged: their fsync failed); the caller
     * holds the channel's append lock and no reader reads them (they were never durable).
     */
    void truncateFrom(long offset) throws IOException {
        int keep = (int) (offset - baseOffset);
        long cut;
        synchronized (this) {
            if (keep < 0 || keep > count) {
                throw new IllegalArgumentException("segment " + file() + " holds offsets " + baseOffset + ".." + (baseOffset + count));
            }
            cut = keep == count ? file.end() : positions[keep];
        }
        file.truncate(cut);
        file.force();
        synchronized (this) {
            count = keep;
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
