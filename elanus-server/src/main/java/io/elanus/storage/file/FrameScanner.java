package io.elanus.storage.file;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the frames of a file sequentially, stopping at the end or at the first incomplete or
 * corrupt frame (a torn write). {@link #validEnd()} is then where the good data ends.
 */
public final class FrameScanner implements Closeable {

    private final DataInputStream in;
    private final long fileSize;
    private long position;

    public FrameScanner(Path file) throws IOException {
        this.fileSize = Files.size(file);
        this.in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
    }

    /** The next payload, or null at the end of the good data. */
    public byte[] next() throws IOException {
        if (fileSize - position < Frames.HEADER_BYTES) {
            return null;
        }
        int length = in.readInt();
        int crc = in.readInt();
        if (length < 0 || length > fileSize - position - Frames.HEADER_BYTES) {
            return null;
        }
        byte[] payload = in.readNBytes(length);
        if (payload.length != length || Frames.checksum(length, payload, length) != crc) {
            return null;
        }
        position += Frames.HEADER_BYTES + length;
        return payload;
    }

    /** The file position just past the last good frame returned. */
    public long validEnd() {
        return position;
    }

    /** Whether every byte of the file belonged to a good frame. */
    public boolean reachedCleanEnd() {
        return position == fileSize;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
