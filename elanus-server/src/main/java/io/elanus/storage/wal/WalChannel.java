package io.elanus.storage.wal;

import io.elanus.storage.DataDirGuard;
import io.elanus.storage.StorageFaultException;
import io.elanus.storage.file.AppendFile;
import io.elanus.storage.file.ChannelOpener;
import io.elanus.storage.file.FileSync;
import io.elanus.storage.file.FrameScanner;
import io.elanus.storage.file.GroupSync;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * One channel of the embedded WAL: a directory of segment files. Appends are serialised by a
 * lock and made durable by group commit; readers only see durable records.
 *
 * <p>I/O faults: a failed write leaves the file as before (see {@link AppendFile}), so the next
 * append simply tries again. A failed fsync fails every append not yet durable; the next append
 * first repairs the channel: it cuts the active segment back to the last durable record (those
 * after it were never acknowledged, so nothing acknowledged is lost and nothing unacknowledged
 * reappears after a restart) and starts a fresh group commit. Every append fails with a
 * {@link StorageFaultException} naming the cause. After each fsync the active segment must still
 * be the file that was opened: a deleted data directory refuses all further writes.
 */
final class WalChannel {

    private static final String SEGMENT_SUFFIX = ".seg";

    private final String name;
    private final Path dir;
    private final long segmentBytes;
    private final ChannelOpener opener;
    private final DataDirGuard guard;
    private final ReentrantLock appendLock = new ReentrantLock();
    private final ConcurrentSkipListMap<Long, WalSegment> segments;
    /** Replaced (under the append lock) when a failed fsync is repaired; appenders use the one they wrote under. */
    private volatile GroupSync sync;
    private volatile WalSegment active;
    private volatile long nextOffset;
    private boolean closed;
    /** An fsync of a segment being rolled away failed: the records not yet durable must be cut before appending on. */
    private IOException unsyncedRoll;

    private WalChannel(String name, Path dir, long segmentBytes, ChannelOpener opener, DataDirGuard guard,
                       ConcurrentSkipListMap<Long, WalSegment> segments) {
        this.name = name;
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.opener = opener;
        this.guard = guard;
        this.segments = segments;
        this.active = segments.lastEntry().getValue();
        this.nextOffset = active.endOffset();
        this.sync = new GroupSync(this::forceActive, nextOffset);
    }

    /** Opens the channel's directory, creating it, or recovering its segments (dropping a torn tail). */
    static WalChannel open(String name, Path dir, long segmentBytes, ChannelOpener opener, DataDirGuard guard)
            throws IOException {
        ConcurrentSkipListMap<Long, WalSegment> segments = new ConcurrentSkipListMap<>();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            FileSync.directory(dir.getParent());
        }
        List<Path> files = segmentFiles(dir);
        long expectedBase = -1;
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            long base = Long.parseLong(file.getFileName().toString().replace(SEGMENT_SUFFIX, ""));
            if (expectedBase >= 0 && base != expectedBase) {
                throw new IllegalStateException("WAL channel " + name + ": segment " + file + " should start at offset " + expectedBase);
            }
            WalSegment segment = recover(file, base, i == files.size() - 1, opener);
            segments.put(base, segment);
            expectedBase = segment.endOffset();
        }
        if (segments.isEmpty()) {
            segments.put(0L, WalSegment.create(dir, 0, opener));
            FileSync.directory(dir);
        }
        return new WalChannel(name, dir, segmentBytes, opener, guard, segments);
    }

    private static List<Path> segmentFiles(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> p.getFileName().toString().matches("\\d{20}\\.seg")).sorted().toList();
        }
    }

    private static WalSegment recover(Path file, long base, boolean last, ChannelOpener opener) throws IOException {
        long[] positions = new long[1024];
        int count = 0;
        long end;
        try (FrameScanner scanner = new FrameScanner(file)) {
            long position = 0;
            while (scanner.next() != null) {
                if (count == positions.length) {
                    positions = Arrays.copyOf(positions, count * 2);
                }
                positions[count++] = position;
                position = scanner.validEnd();
            }
            end = scanner.validEnd();
            if (!scanner.reachedCleanEnd()) {
                if (!last) {
                    throw new IllegalStateException("WAL segment " + file + " is corrupt at byte " + end
                            + " and is not the last segment");
                }
                // A torn tail from a crash mid-append: that record was never acknowledged.
                FileSync.truncate(file, end);
            }
        }
        return WalSegment.open(file, base, positions, count, end, opener);
    }

    String name() {
        return name;
    }

    /** Appends one record and returns its offset once durable; throws {@link StorageFaultException} on an I/O fault. */
    long append(byte[] payload) {
        long offset;
        GroupSync writtenUnder;
        appendLock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("WAL is closed");
            }
            guard.ensureNotLost();
            if (unsyncedRoll != null || sync.failed()) {
                repair();
            }
            if (active.size() > 0 && active.size() + payload.length > segmentBytes) {
                roll();
            }
            offset = nextOffset;
            active.append(payload);
            nextOffset = offset + 1;
            writtenUnder = sync;
            writtenUnder.written(offset + 1);
        } catch (IOException e) {
            throw StorageFaultException.classify(active.file(), e);
        } finally {
            appendLock.unlock();
        }
        try {
            writtenUnder.awaitDurable(offset + 1);
        } catch (UncheckedIOException e) {
            throw StorageFaultException.classify(active.file(), e.getCause());
        }
        return offset;
    }

    /**
     * Cuts the records that never became durable and restarts group commit at the last durable one.
     * Caller holds the append lock. Every record after the durable end lies in the active segment
     * (a roll marks everything before it durable).
     */
    private void repair() throws IOException {
        IOException cause = unsyncedRoll != null ? unsyncedRoll : new IOException("an fsync failed");
        long durableEnd = sync.abandon(cause);
        Map.Entry<Long, WalSegment> holder = segments.floorEntry(durableEnd);
        // Defensive: roll() marks a segment's base durable before creating it, so none should start past the end.
        List<Long> beyond = List.copyOf(segments.tailMap(durableEnd, false).keySet());
        for (Long base : beyond) {
            WalSegment dropped = segments.remove(base);
            dropped.close();
            Files.deleteIfExists(dropped.file());
        }
        if (!beyond.isEmpty()) {
            // A deletion not made durable could bring the segment back after a crash and break the chain.
            FileSync.directory(dir);
        }
        WalSegment keep = holder.getValue();
        keep.truncateFrom(durableEnd);
        active = keep;
        nextOffset = durableEnd;
        sync = new GroupSync(this::forceActive, durableEnd);
        unsyncedRoll = null;
    }

    private void roll() throws IOException {
        try {
            active.force();
        } catch (IOException e) {
            unsyncedRoll = e;
            throw e;
        }
        sync.markDurable(nextOffset);
        WalSegment next = null;
        try {
            next = WalSegment.create(dir, nextOffset, opener);
            FileSync.directory(dir);
        } catch (IOException e) {
            // No half-made segment may stay: a later roll at another offset would break the chain on restart.
            if (next != null) {
                next.close();
            }
            try {
                Files.deleteIfExists(dir.resolve(WalSegment.fileName(nextOffset)));
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        segments.put(nextOffset, next);
        active = next;
    }

    /**
     * Forces the active segment, then checks it is still the file that was opened (a deleted data
     * directory must not acknowledge writes into unlinked files). A segment rolled away meanwhile
     * was forced by the roll.
     */
    private void forceActive() throws IOException {
        WalSegment segment = active;
        try {
            segment.force();
        } catch (ClosedChannelException e) {
            if (segment == active) {
                throw e;
            }
            return;
        }
        try {
            guard.verify(segment.file(), segment.identity());
        } catch (StorageFaultException e) {
            throw e.asIOException();
        }
    }

    long endOffset() {
        return nextOffset;
    }

    long durableEnd() {
        return sync.durable();
    }

    long startOffset() {
        return segments.firstKey();
    }

    boolean awaitDurable(long end, long timeoutNanos) throws InterruptedException {
        return sync.awaitDurableFor(end, timeoutNanos);
    }

    /** Reads a durable record; the caller checked {@code offset < durableEnd()}. */
    byte[] read(long offset) {
        Map.Entry<Long, WalSegment> entry = segments.floorEntry(offset);
        if (entry == null || offset < startOffset()) {
            throw new IllegalStateException("WAL channel " + name + ": offset " + offset
                    + " was truncated; the channel starts at " + startOffset());
        }
        try {
            return entry.getValue().read(offset);
        } catch (ClosedChannelException e) {
            throw new IllegalStateException("WAL channel " + name + ": offset " + offset + " was truncated or the WAL closed", e);
        } catch (IOException e) {
            throw new UncheckedIOException("WAL channel " + name + ": reading offset " + offset + " failed", e);
        }
    }

    /** Deletes whole segments whose records all lie before {@code offset}; the active segment stays. */
    void truncateBefore(long offset) {
        appendLock.lock();
        try {
            List<WalSegment> dropped = new ArrayList<>();
            while (segments.size() > 1) {
                Map.Entry<Long, WalSegment> first = segments.firstEntry();
                Long nextBase = segments.higherKey(first.getKey());
                if (nextBase > offset) {
                    break;
                }
                segments.remove(first.getKey());
                dropped.add(first.getValue());
            }
            for (WalSegment segment : dropped) {
                segment.close();
                Files.deleteIfExists(segment.file());
            }
            if (!dropped.isEmpty()) {
                FileSync.directory(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("WAL channel " + name + ": truncation failed", e);
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * Makes every written record durable, unless a fault already stopped that (a failed fsync, a
     * deleted directory): those records were never acknowledged, so closing just drops them.
     */
    private void closeSync() throws IOException {
        if (guard.isLost() || unsyncedRoll != null || sync.failed()) {
            sync.abandon(new IOException("WAL channel " + name + " closed after a fault"));
        } else {
            sync.close();
        }
    }

    void close() {
        appendLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                closeSync();
            } finally {
                for (WalSegment segment : segments.values()) {
                    segment.close();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("WAL channel " + name + ": close failed", e);
        } finally {
            appendLock.unlock();
        }
    }
}
