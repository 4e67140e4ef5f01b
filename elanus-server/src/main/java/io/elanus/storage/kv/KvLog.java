package io.elanus.storage.kv;

import io.elanus.storage.DataDirGuard;
import io.elanus.storage.StorageFaultException;
import io.elanus.storage.file.AppendFile;
import io.elanus.storage.file.ChannelOpener;
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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files of an {@link EmbeddedMetaKv}: snapshots {@code snapshot-<revision>.snap} (the whole
 * map at that revision) and logs {@code log-<first revision>.log} (one frame per mutation).
 * Appends are group-committed; a log is fsynced before the next one starts.
 *
 * <p>I/O faults: a failed append leaves the log as before (see {@link AppendFile}), so the next
 * one just tries again. After a failed fsync the log must be {@link #repair}ed before appending on:
 * that cuts the mutations that never became durable (none of them was acknowledged) and restarts
 * group commit; the store then rolls its memory back to the durable revision. After each fsync
 * the active log must still be the file that was opened (a deleted data directory).
 */
final class KvLog {

    interface Replay {
        void snapshot(long revision, List<KvEntry> entries);

        void mutation(KvCodec.Mutation mutation);
    }

    private static final String LOG_PATTERN = "log-\\d{20}\\.log";
    private static final String SNAPSHOT_PATTERN = "snapshot-\\d{20}\\.snap";

    /** Where a mutation not yet known to be durable starts in the active log. */
    private record Pending(long revision, long position) {
    }

    private final Path dir;
    private final ChannelOpener opener;
    private final DataDirGuard guard;
    /** Replaced by {@link #repair}; writers wait on the instance they wrote under. All under the store's write lock. */
    private volatile GroupSync sync;
    private volatile AppendFile active;
    private long bytesSinceSnapshot;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    /** The fsync of a log being rolled away failed: what it held after the durable revision must be cut. */
    private IOException unsyncedRoll;

    private KvLog(Path dir, ChannelOpener opener, DataDirGuard guard, AppendFile active, long lastRevision,
                  long bytesSinceSnapshot) {
        this.dir = dir;
        this.opener = opener;
        this.guard = guard;
        this.active = active;
        this.bytesSinceSnapshot = bytesSinceSnapshot;
        this.sync = new GroupSync(this::forceActive, lastRevision);
    }

    /** Loads the newest snapshot, replays the logs after it and returns the log ready for appends. */
    static KvLog open(Path dir, ChannelOpener opener, DataDirGuard guard, Replay replay) throws IOException {
        Files.createDirectories(dir);
        deleteLeftoverTemps(dir);
        long revision = replayAll(dir, replay);
        List<Path> logs = list(dir, LOG_PATTERN);
        long bytes = 0;
        for (Path log : logs) {
            bytes += Files.size(log);
        }
        Path activePath = logs.isEmpty() ? dir.resolve(logName(revision + 1)) : logs.getLast();
        AppendFile active = AppendFile.openAtEnd(activePath, opener);
        if (logs.isEmpty()) {
            FileSync.directory(dir);
        }
        return new KvLog(dir, opener, guard, active, revision, bytes);
    }

    /** Replays the newest snapshot and the logs after it (cutting a torn tail); returns the last revision. */
    private static long replayAll(Path dir, Replay replay) throws IOException {
        List<Path> snapshots = list(dir, SNAPSHOT_PATTERN);
        long revision = 0;
        if (!snapshots.isEmpty()) {
            Path newest = snapshots.getLast();
            revision = revisionOf(newest);
            replay.snapshot(revision, readSnapshot(newest, revision));
        }
        List<Path> logs = list(dir, LOG_PATTERN);
        for (int i = 0; i < logs.size(); i++) {
            revision = replayLog(logs.get(i), revision, i == logs.size() - 1, replay);
        }
        return revision;
    }

    /** Replays what is durable on disk again (after {@link #repair}); the caller holds the store's write lock. */
    long replay(Replay replay) throws IOException {
        return replayAll(dir, replay);
    }

    /** The file appends go to now. */
    Path activePath() {
        return active.path();
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

    /**
     * Writes a mutation without syncing and returns the group commit to {@link GroupSync#awaitDurable}
     * on; the caller holds the store's write lock and has {@link #repair}ed the log if it
     * {@link #needsRepair}. A failed write leaves the log as it was.
     */
    GroupSync append(long revision, byte[] payload) throws IOException {
        guard.ensureNotLost();
        long durable = sync.durable();
        while (!pending.isEmpty() && pending.peek().revision() <= durable) {
            pending.poll();
        }
        long position = active.append(payload);
        pending.add(new Pending(revision, position));
        bytesSinceSnapshot += Frames.HEADER_BYTES + payload.length;
        sync.written(revision);
        return sync;
    }

    /** Whether an fsync failed since the last {@link #repair}: mutations after the durable revision may be lost. */
    boolean needsRepair() {
        return unsyncedRoll != null || sync.failed();
    }

    /**
     * Cuts the active log back to the last durable mutation and restarts group commit there; returns
     * that revision (the store rolls its memory back to it). Every mutation after it lies in the
     * active log, as a roll marks all before it durable. The caller holds the store's write lock.
     */
    long repair() throws IOException {
        long durable = sync.abandon(unsyncedRoll != null ? unsyncedRoll : new IOException("an fsync failed"));
        long cut = active.end();
        for (Pending p : pending) {
            if (p.revision() > durable) {
                cut = p.position();
                break;
            }
        }
        active.truncate(cut);
        active.force();
        pending.clear();
        sync = new GroupSync(this::forceActive, durable);
        unsyncedRoll = null;
        return durable;
    }

    /** Caller holds the store's write lock. */
    long bytesSinceSnapshot() {
        return bytesSinceSnapshot;
    }

    /** Starts a new log at {@code firstRevision}; the caller holds the store's write lock. */
    void roll(long firstRevision) throws IOException {
        AppendFile old = active;
        try {
            old.force();
        } catch (IOException e) {
            unsyncedRoll = e;
            throw e;
        }
        sync.markDurable(firstRevision - 1);
        pending.clear();
        Path next = dir.resolve(logName(firstRevision));
        AppendFile opened = null;
        try {
            opened = AppendFile.openAtEnd(next, opener);
            FileSync.directory(dir);
        } catch (IOException e) {
            // No stray log may stay: the next roll may start at another revision.
            if (opened != null) {
                opened.close();
            }
            try {
                Files.deleteIfExists(next);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        active = opened;
        old.close();
        bytesSinceSnapshot = 0;
    }

    /**
     * Forces the active log, then checks it is still the file that was opened: a deleted data
     * directory must not acknowledge writes into an unlinked file. A log rolled away meanwhile was
     * fsynced by {@link #roll}.
     */
    private void forceActive() throws IOException {
        AppendFile log = active;
        try {
            log.force();
        } catch (ClosedChannelException e) {
            if (log == active) {
                throw e;
            }
            return;
        }
        try {
            guard.verify(log.path(), log.identity());
        } catch (StorageFaultException e) {
            throw e.asIOException();
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
            if (guard.isLost() || needsRepair()) {
                // Those mutations were never acknowledged: nothing to make durable.
                sync.abandon(new IOException("meta store closed after a fault"));
            } else {
                sync.close();
            }
        } finally {
            active.close();
        }
    }
}
