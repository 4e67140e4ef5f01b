package io.elanus.storage.file;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An append-only file of {@link Frames} whose I/O a thread interrupt cannot break.
 *
 * <p>A {@link FileChannel} closes itself, for every thread using it, when a thread blocked in it is
 * interrupted; and an executor's {@code shutdownNow} interrupts whatever task is mid-append or
 * mid-read. Here each operation runs with the caller's interrupt status cleared; if the channel
 * was closed under it (by an interrupt of this or another thread) it is reopened and the operation
 * is retried. Writes are positional, so a retried frame lands where the first attempt began. The
 * thread's interrupt status is restored before returning, for its caller to act on.
 *
 * <p>Concurrency: appends must be serialised by the caller; reads and {@link #force} may run
 * concurrently with them and with each other.
 */
public final class AppendFile implements Closeable {

    @FunctionalInterface
    private interface ChannelOp<T> {
        T apply(FileChannel channel) throws IOException;
    }

    private final Path path;
    private final Object reopenLock = new Object();
    private volatile FileChannel channel;
    private volatile boolean closed;
    /** End of the last whole frame; only the (serialised) appender moves it. */
    private volatile long end;

    private AppendFile(Path path, FileChannel channel, long end) {
        this.path = path;
        this.channel = channel;
        this.end = end;
    }

    /** Creates {@code path}, or empties it if it exists. */
    public static AppendFile create(Path path) throws IOException {
        FileChannel channel = openChannel(path);
        channel.truncate(0);
        return new AppendFile(path, channel, 0);
    }

    /** Opens {@code path} (creating it if missing) for appends after its first {@code end} bytes. */
    public static AppendFile open(Path path, long end) throws IOException {
        return new AppendFile(path, openChannel(path), end);
    }

    /** Opens {@code path} (creating it if missing) for appends after its current contents. */
    public static AppendFile openAtEnd(Path path) throws IOException {
        FileChannel channel = openChannel(path);
        return new AppendFile(path, channel, channel.size());
    }

    private static FileChannel openChannel(Path path) throws IOException {
        return FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    public Path path() {
        return path;
    }

    /** Bytes of whole frames in the file. */
    public long end() {
        return end;
    }

    /** Writes one frame after the last; returns its position. Not durable until {@link #force}. */
    public long append(byte[] payload) throws IOException {
        long position = end;
        ByteBuffer frame = Frames.encode(payload);
        io(ch -> {
            frame.rewind();
            long at = position;
            while (frame.hasRemaining()) {
                at += ch.write(frame, at);
            }
            return null;
        });
        end = position + frame.capacity();
        return position;
    }

    /** Reads the frame at {@code position}; throws if it is incomplete or corrupt. */
    public byte[] read(long position) throws IOException {
        return io(ch -> Frames.readAt(ch, position));
    }

    /** Makes every written frame durable (fsync covers the file, also bytes written through a channel since reopened). */
    public void force() throws IOException {
        io(ch -> {
            ch.force(false);
            return null;
        });
    }

    private <T> T io(ChannelOp<T> op) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                FileChannel current = channel;
                try {
                    return op.apply(current);
                } catch (ClosedChannelException e) {
                    interrupted |= Thread.interrupted();
                    reopenAfter(current, e);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void reopenAfter(FileChannel broken, ClosedChannelException cause) throws IOException {
        synchronized (reopenLock) {
            if (closed) {
                throw cause;
            }
            if (channel == broken) {
                channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            }
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (reopenLock) {
            closed = true;
            channel.close();
        }
    }
}
