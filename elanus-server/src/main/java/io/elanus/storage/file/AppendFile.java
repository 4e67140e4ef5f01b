package io.elanus.storage.file;

import io.elanus.storage.DataDirGuard;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

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
 * <p>A failed append (a full disk, a read-only file system) may leave part of its frame behind the
 * last whole frame; the file is cut back to that frame before anything else is appended, so a
 * retry never leaves a torn frame in the middle of the log.
 *
 * <p>Concurrency: appends and {@link #truncate} must be serialised by the caller; reads and
 * {@link #force} may run concurrently with them and with each other.
 */
public final class AppendFile implements Closeable {

    @FunctionalInterface
    private interface ChannelOp<T> {
        T apply(FileChannel channel) throws IOException;
    }

    private final Path path;
    private final ChannelOpener opener;
    private final Object identity;
    private final Object reopenLock = new Object();
    private volatile FileChannel channel;
    private volatile boolean closed;
    /** End of the last whole frame; only the (serialised) appender moves it. */
    private volatile long end;
    /** A failed append may have left bytes after {@link #end}; cut them before the next append. */
    private boolean dirtyTail;

    private AppendFile(Path path, ChannelOpener opener, FileChannel channel, long end) throws IOException {
        this.path = path;
        this.opener = opener;
        this.channel = channel;
        this.end = end;
        try {
            this.identity = DataDirGuard.identity(path);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    /** Creates {@code path}, or empties it if it exists. */
    public static AppendFile create(Path path) throws IOException {
        return create(path, ChannelOpener.DEFAULT);
    }

    public static AppendFile create(Path path, ChannelOpener opener) throws IOException {
        FileChannel channel = opener.open(path);
        try {
            channel.truncate(0);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return new AppendFile(path, opener, channel, 0);
    }

    /** Opens {@code path} (creating it if missing) for appends after its first {@code end} bytes. */
    public static AppendFile open(Path path, long end) throws IOException {
        return open(path, end, ChannelOpener.DEFAULT);
    }

    public static AppendFile open(Path path, long end, ChannelOpener opener) throws IOException {
        return new AppendFile(path, opener, opener.open(path), end);
    }

    /** Opens {@code path} (creating it if missing) for appends after its current contents. */
    public static AppendFile openAtEnd(Path path) throws IOException {
        return openAtEnd(path, ChannelOpener.DEFAULT);
    }

    public static AppendFile openAtEnd(Path path, ChannelOpener opener) throws IOException {
        FileChannel channel = opener.open(path);
        return new AppendFile(path, opener, channel, channel.size());
    }

    public Path path() {
        return path;
    }

    /** The identity (inode) the file had when opened: if its path names another file now, the file was deleted. */
    public Object identity() {
        return identity;
    }

    /** Bytes of whole frames in the file. */
    public long end() {
        return end;
    }

    /** Writes one frame after the last; returns its position. Not durable until {@link #force}. */
    public long append(byte[] payload) throws IOException {
        if (dirtyTail) {
            truncate(end);
        }
        long position = end;
        ByteBuffer frame = Frames.encode(payload);
        try {
            io(ch -> {
                frame.rewind();
                long at = position;
                while (frame.hasRemaining()) {
                    at += ch.write(frame, at);
                }
                return null;
            });
        } catch (IOException e) {
            dirtyTail = true;
            try {
                truncate(position);
            } catch (IOException cutFailed) {
                e.addSuppressed(cutFailed);
            }
            throw e;
        }
        end = position + frame.capacity();
        return position;
    }

    /**
     * Cuts the file back to {@code newEnd} bytes (at most {@link #end}), dropping whatever lies after:
     * a partial frame of a failed append, or frames the log discards. Not durable until {@link #force}.
     * Needs no free space.
     */
    public void truncate(long newEnd) throws IOException {
        if (newEnd < 0 || newEnd > end) {
            throw new IllegalArgumentException("cannot truncate " + path + " to " + newEnd + "; it ends at " + end);
        }
        io(ch -> {
            ch.truncate(newEnd);
            return null;
        });
        end = newEnd;
        dirtyTail = false;
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
                channel = opener.open(path);
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
