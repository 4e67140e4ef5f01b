package io.elanus.server;

import io.elanus.common.StartupException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One server per data directory: an exclusive OS lock on {@code <data-dir>/LOCK}, held for the life
 * of the process, with the holder's pid written inside so that a second server can name it. The OS
 * drops the lock when the process dies (also on kill -9), so a stale file never blocks a restart.
 */
final class DataDirLock implements AutoCloseable {
    static final String FILE_NAME = "LOCK";

    /**
     * Data directories locked by this JVM. A second in-process acquire must be refused before it opens
     * the file: the OS lock is a POSIX record lock, which closing any descriptor of the file in this
     * process drops, so even a refused attempt would silently free the directory for another server.
     */
    private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(Path key, FileChannel channel, FileLock lock) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates the directory if needed and takes its lock.
     *
     * @throws StartupException when the directory is not writable or another process holds the lock
     */
    static DataDirLock acquire(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        Path key;
        try {
            Files.createDirectories(dataDir);
            key = dataDir.toRealPath();
        } catch (IOException | SecurityException e) {
            throw new StartupException("data directory " + dataDir + " is not writable: " + describe(e), e);
        }
        if (!HELD_HERE.add(key)) {
            throw inUse(dataDir, Long.toString(ProcessHandle.current().pid()));
        }
        try {
            return lock(dataDir, key, file);
        } catch (RuntimeException e) {
            HELD_HERE.remove(key);
            throw e;
        }
    }

    private static DataDirLock lock(Path dataDir, Path key, Path file) {
        FileChannel channel;
        try {
            // No TRUNCATE_EXISTING: the file may hold the running owner's pid, which a refused server must still read.
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException | SecurityException e) {
            throw new StartupException("data directory " + dataDir + " is not writable: " + describe(e), e);
        }
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                String holder = readPid(channel);
                channel.close();
                throw inUse(dataDir, holder);
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(true);
            return new DataDirLock(key, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StartupException("data directory " + dataDir + " is not writable: " + describe(e), e);
        }
    }

    private static StartupException inUse(Path dataDir, String holder) {
        return new StartupException("data directory " + dataDir + " is in use by another Elanus server"
                + (holder.isEmpty() ? "" : " (pid " + holder + ")") + "; stop it first or choose another --data-dir");
    }

    private static String readPid(FileChannel channel) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(32);
        channel.read(buf, 0);
        return new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).trim();
    }

    /** What went wrong and on which path, without repeating the JDK's "path: reason" twice. */
    static String describe(Exception e) {
        if (e instanceof java.nio.file.FileSystemException f) {
            String reason = switch (f) {
                case java.nio.file.AccessDeniedException a -> "permission denied";
                case java.nio.file.FileAlreadyExistsException a -> "a file is in the way";
                case java.nio.file.NotDirectoryException a -> "not a directory";
                default -> f.getReason() == null ? f.getClass().getSimpleName() : f.getReason();
            };
            return f.getFile() == null ? reason : reason + " (" + f.getFile() + ")";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Already failing; the first error is the one reported.
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // Closing the channel below releases it too.
        }
        closeQuietly(channel);
        HELD_HERE.remove(key);
    }
}
