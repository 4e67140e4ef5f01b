package io.elanus.storage.wal;

import io.elanus.storage.file.Frames;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * One segment file of a channel: the records from {@link #baseOffset} on, with an in-memory index
 * of each record's file position (rebuilt by scanning on open).
 */
final class WalSegment {

    private final long baseOffset;
    private final Path file;
    private final FileChannel channel;
    private long[] positions;
    private int count;
    private long size;

    private WalSegment(long baseOffset, Path file, FileChannel channel, long[] positions, int count, long size) {
        this.baseOffset = baseOffset;
        this.file = file;
        this.channel = channel;
        this.positions = positions;
        this.count = count;
        this.size = size;
    }

    static String fileName(long baseOffset) {
        return String.format("%020d.seg", baseOffset);
    }

    static WalSegment create(Path dir, long baseOffset) throws IOException {
        Path file = dir.resolve(fileName(baseOffset));
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        channel.truncate(0);
        return new WalSegment(baseOffset, file, channel, new long[1024], 0, 0);
    }

    /** Opens a recovered segment whose good frames start at {@code positions[0..count)} and end at {@code size}. */
    static WalSegment open(Path file, long baseOffset, long[] positions, int count, long size) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        channel.position(size);
        return new WalSegment(baseOffset, file, channel, positions.length == 0 ? new long[1024] : positions, count, size);
    }

    long baseOffset() {
        return baseOffset;
    }

    Path file() {
        return file;
    }

    /** Offset after the last record. */
    synchronized long endOffset() {
        return baseOffset + count;
    }

    synchronized long size() {
        return size;
    }

    /** Writes a record at the end; the caller holds the channel's append lock. */
    void append(byte[] payload) throws IOException {
        long position;
        synchronized (this) {
            position = size;
        }
        int frameBytes = Frames.append(channel, payload);
        synchronized (this) {
            if (count == positions.length) {
                positions = Arrays.copyOf(positions, count * 2);
            }
            positions[count++] = position;
            size += frameBytes;
        }
    }

    byte[] read(long offset) throws IOException {
        long position;
        synchronized (this) {
            position = positions[(int) (offset - baseOffset)];
        }
        return Frames.readAt(channel, position);
    }

    void force() throws IOException {
        channel.force(false);
    }

    void close() throws IOException {
        channel.close();
    }
}
