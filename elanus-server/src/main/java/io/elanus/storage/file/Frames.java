package io.elanus.storage.file;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * The record framing shared by the embedded logs: {@code [int length][int crc32c][payload]},
 * big-endian. The checksum covers the length bytes and the payload, so a zero-filled tail (what a
 * file system may leave after a crash) never parses as a valid empty record.
 */
public final class Frames {

    public static final int HEADER_BYTES = 8;

    private Frames() {
    }

    static int checksum(int length, byte[] payload, int payloadLength) {
        CRC32C crc = new CRC32C();
        crc.update(length >>> 24);
        crc.update(length >>> 16);
        crc.update(length >>> 8);
        crc.update(length);
        crc.update(payload, 0, payloadLength);
        return (int) crc.getValue();
    }

    /** One whole frame, ready to write. */
    public static ByteBuffer encode(byte[] payload) {
        ByteBuffer frame = ByteBuffer.allocate(HEADER_BYTES + payload.length);
        frame.putInt(payload.length).putInt(checksum(payload.length, payload, payload.length)).put(payload).flip();
        return frame;
    }

    /** Writes one frame to a stream (used for snapshot files). */
    public static void write(OutputStream out, byte[] payload) throws IOException {
        int crc = checksum(payload.length, payload, payload.length);
        byte[] header = ByteBuffer.allocate(HEADER_BYTES).putInt(payload.length).putInt(crc).array();
        out.write(header);
        out.write(payload);
    }

    /** Reads the frame that starts at {@code position}; throws if it is incomplete or corrupt. */
    static byte[] readAt(FileChannel channel, long position) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        readFully(channel, header, position);
        int length = header.getInt(0);
        int crc = header.getInt(4);
        if (length < 0) {
            throw new IOException("corrupt frame at " + position + ": negative length");
        }
        byte[] payload = new byte[length];
        readFully(channel, ByteBuffer.wrap(payload), position + HEADER_BYTES);
        if (checksum(length, payload, length) != crc) {
            throw new IOException("corrupt frame at " + position + ": checksum mismatch");
        }
        return payload;
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new IOException("frame at " + position + " runs past the end of the file");
            }
            at += n;
        }
    }
}
