package io.elanus.storage.kv;

import io.elanus.storage.file.AppendFile;
import io.elanus.storage.file.FileSync;
import io.elanus.storage.file.FrameScanner;
import io.elanus.storage.file.Frames;
import io.elanus.storage.file.GroupSync;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files of an {@link EmbeddedMetaKv}: snapshots {@code snapshot-<revision>.snap} (the whole
 * map at that revision) and logs {@code log-<first revision>.log} (one frame per mutation).
 * Appends are group-committed; a log is fsynced before the next one starts.
 */
final class KvLog {

    interface Replay {
        void snapshot(long revision, List<KvEntry> entries);

        void mutation(KvCodec.Mutation mutation);
    }

    private static final String LOG_PATTERN = "log-\\d{20}\\.log";
    private static final String SNAPSHOT_PATTERN = "snapshot-\\d{20}\\.snap";

    private final Path dir;
    private final GroupSync sync;
    private volatile AppendFile active;
    private long bytesSinceSnapshot;
    /** After a failed write the log may end in a partial frame: no further appends until reopened. */
    private IOException writeFailure;

    private KvLog(Path dir, AppendFile active, long lastRevision, long bytesSinceSnapshot) {
        this.dir = dir;
        this.active = active;
        this.bytesSinceSnapshot = bytesSinceSnapshot;
        this.sync = new GroupSync(this::forceActive, lastRevision);
    }

    /** Loads the newest snapshot, replays the logs after it and returns the log ready for appends. */
    static KvLog open(Path dir, Replay replay) throws IOException {
        Files.createDirectories(dir);
        deleteLeftoverTemps(dir);
        List<Path> snapshots = list(dir, SNAPSHOT_PATTERN);
        long revision = 0;
        if (!snapshots.isEmpty()) {
            Path newest = snapshots.getLast();
            revision = revisionOf(newest);
            replay.snapshot(revision, readSnapshot(newest, revision));
        }
        List<Path> logs = list(dir, LOG_PATTERN);
        long bytes = 0;
        for (int i = 0; i < logs.size(); i++) {
            revision = replayLog(logs.get(i), revision, i == logs.size() - 1, replay);
            bytes += Files.size(logs.get(i));
        }
        Path activePath = logs.isEmpty() ? dir.resolve(logName(revision + 1)) : logs.getLast();
        AppendFile active = AppendFile.openAtEnd(activePath);
        if (logs.isEmpty()) {
            FileSync.directory(dir);
        }
        return new KvLog(dir, active, revision, bytes);
    }

    private static void deleteLeftoverTemps(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList()) {
                Files.delete(p);
            }
        }
    }

    private static List<Path> list(Path dir, String pattern) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches(pattern)).sorted().toList();
        }
    }

    private static long revisionOf(Path file) {
        String name = file.getFileName().toString();
        return Long.parseLong(name.substring(name.indexOf('-') + 1, name.indexOf('.')));
    }

    private static String logName(long firstRevision) {
        return String.format("log-%020d.log", firstRevision);
    }

    private static String snapshotName(long revision) {
        return String.format("snapshot-%020d.snap", revision);
    }

    private static List<KvEntry> readSnapshot(Path file, long revision) throws IOException {
        try (FrameScanner scanner = new FrameScanner(file)) {
            byte[] header = scanner.next();
            if (header == null) {
                throw new IOException("snapshot " + file + " is corrupt: no header");
            }
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(header));
            long headerRevision = in.readLong();
            int count = in.readInt();
            if (headerRevision != revision) {
                throw new IOException("snapshot " + file + " holds revision " + headerRevision);
            }
            List<KvEntry> entries = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                byte[] payload = scanner.next();
                if (payload == null) {
                    throw new IOException("snapshot " + file + " is corrupt after " + i + " entries");
                }
                entries.add(KvCodec.decodeEntry(payload));
            }
            return entries;
        }
    }

    /** Replays one log file from revision {@code after}; returns the last revision applied. */
    private static long replayLog(Path file, long after, boolean last, Replay replay) throws IOException {
        long revision = after;
        try (FrameScanner scanner = new FrameScanner(file)) {
            byte[] payload;
            while ((payload = scanner.next()) != null) {
                KvCodec.Mutation mutation = KvCodec.decodeMutation(payload);
                if (mutation.revision() <= revision) {
                    continue;
                }
                if (mutation.revision() != revision + 1) {
                    throw new IOException("log " + file + " jumps from revision " + revision + " to " + mutation.revision());
                }
                replay.mutation(mutation);
                revision = mutation.revision();
            }
            if (!scanner.reachedCleanEnd()) {
                if (!last) {
                    throw new IOException("log " + file + " is corrupt at byte " + scanner.validEnd()
                            + " and is not the newest log");
                }
                // A torn tail from a crash mid-append: that mutation was never acknowledged.
                FileSync.truncate(file, scanner.validEnd());
            }
        }
        return revision;
    }

    /** Writes a mutation without syncing; the caller holds the store's write lock. */
    void append(long revision, byte[] payload) throws IOException {
        if (writeFailure != null) {
            throw new IOException("the meta store log failed earlier; reopen the store to recover", writeFailure);
        }
        try {
            active.append(payload);
            bytesSinceSnapshot += Frames.HEADER_BYTES + payload.length;
        } catch (IOException e) {
            writeFailure = e;
            throw e;
        }
        sync.written(revision);
    }

    void awaitDurable(long revision) {
        sync.awaitDurable(revision);
    }

    /** Caller holds the store's write lock. */
    long bytesSinceSnapshot() {
        return bytesSinceSnapshot;
    }

    /** Starts a new log at {@code firstRevision}; the caller holds the store's write lock. */
    void roll(long firstRevision) throws IOException {
        AppendFile old = active;
        old.force();
        active = AppendFile.openAtEnd(dir.resolve(logName(firstRevision)));
        FileSync.directory(dir);
        old.close();
        bytesSinceSnapshot = 0;
    }

    /** A log rolled away meanwhile was fsynced by {@link #roll}. */
    private void forceActive() throws IOException {
        AppendFile log = active;
        try {
            log.force();
        } catch (ClosedChannelException e) {
            if (log == active) {
                throw e;
            }
        }
    }

    /**
     * Writes the snapshot of the map at {@code revision} (after {@link #roll} to revision + 1), then
     * deletes the logs and snapshots it supersedes. Runs without the store's lock.
     */
    void writeSnapshot(long revision, Collection<KvEntry> entries) throws IOException {
        Path temp = dir.resolve(snapshotName(revision) + ".tmp");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
            Frames.write(out, KvCodec.encodeSnapshotHeader(revision, entries.size()));
            for (KvEntry entry : entries) {
                Frames.write(out, KvCodec.encodeEntry(entry));
            }
            out.flush();
            channel.force(true);
        }
        Files.move(temp, dir.resolve(snapshotName(revision)), StandardCopyOption.ATOMIC_MOVE);
        FileSync.directory(dir);
        for (Path log : list(dir, LOG_PATTERN)) {
            if (revisionOf(log) <= revision) {
                Files.delete(log);
            }
        }
        for (Path snapshot : list(dir, SNAPSHOT_PATTERN)) {
            if (revisionOf(snapshot) < revision) {
                Files.delete(snapshot);
            }
        }
        FileSync.directory(dir);
    }

    /** Makes every appended mutation durable and closes the log; the caller stops appends first. */
    void close() throws IOException {
        try {
            sync.close();
        } finally {
            active.close();
        }
    }
}
