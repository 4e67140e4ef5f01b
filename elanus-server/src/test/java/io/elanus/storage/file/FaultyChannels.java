package io.elanus.storage.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A {@link ChannelOpener} whose channels fail on demand the way a full or read-only file system
 * does: a write lands only partly and then fails with ENOSPC's message (or EROFS's), or fsync
 * fails. Reads always work. Thread-safe switches; the seam for tests that cannot mount a small
 * file system.
 */
public final class FaultyChannels implements ChannelOpener {

    public enum Fault {
        NONE,
        /** Half of a write lands, then "No space left on device". */
        DISK_FULL,
        /** Writes fail with "Read-only file system". */
        READ_ONLY,
        /** fsync fails with an I/O error. */
        FSYNC_FAILS
    }

    private volatile Fault fault = Fault.NONE;

    public void set(Fault fault) {
        this.fault = fault;
    }

    /** Deletes {@code root} and everything under it while a backend still has files open there (the "rm -rf" fault). */
    public static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Override
    public FileChannel open(Path path) throws IOException {
        return new Faulty(DEFAULT.open(path));
    }

    private final class Faulty extends FileChannel {
        private final FileChannel inner;

        Faulty(FileChannel inner) {
            this.inner = inner;
        }

        private int faultyWrite(ByteBuffer src, long position) throws IOException {
            switch (fault) {
                case DISK_FULL -> {
                    // A torn write: part of the frame reaches the file before the device fills.
                    int half = src.remaining() / 2;
                    if (half > 0) {
                        ByteBuffer part = src.duplicate();
                        part.limit(part.position() + half);
                        inner.write(part, position);
                    }
                    throw new IOException("No space left on device");
                }
                case READ_ONLY -> throw new IOException("Read-only file system");
                default -> {
                    return inner.write(src, position);
                }
            }
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return faultyWrite(src, position);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            int n = faultyWrite(src, inner.position());
            inner.position(inner.position() + n);
            return n;
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            long total = 0;
            for (int i = offset; i < offset + length; i++) {
                total += write(srcs[i]);
            }
            return total;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            if (fault == Fault.FSYNC_FAILS) {
                throw new IOException("Input/output error");
            }
            inner.force(metaData);
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            if (fault == Fault.READ_ONLY) {
                throw new IOException("Read-only file system");
            }
            inner.truncate(size);
            return this;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return inner.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return inner.read(dsts, offset, length);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return inner.read(dst, position);
        }

        @Override
        public long position() throws IOException {
            return inner.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            inner.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return inner.size();
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return inner.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            throw new IOException("not supported by this test channel");
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return inner.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return inner.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return inner.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            inner.close();
        }
    }
}
