package io.elanus.storage.wal;

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
 */
final class WalChannel {

    private static final String SEGMENT_SUFFIX = ".seg";

    private final String name;
    private final Path dir;
    private final long segmentBytes;
    private final ReentrantLock appendLock = new ReentrantLock();
    private final ConcurrentSkipListMap<Long, WalSegment> segments;
    private final GroupSync sync;
    private volatile WalSegment active;
    private volatile long nextOffset;
    private boolean closed;
    /** After a failed write the file may end in a partial frame: no further appends until reopened. */
    private IOException writeFailure;

    private WalChannel(String name, Path dir, long segmentBytes, ConcurrentSkipListMap<Long, WalSegment> segments) {
        this.name = name;
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.segments = segments;
        this.active = segments.lastEntry().getValue();
        this.nextOffset = active.endOffset();
        this.sync = new GroupSync(this::forceActive, nextOffset);
    }

    /** Opens the channel's directory, creating it, or recovering its segments (dropping a torn tail). */
    static WalChannel open(String name, Path dir, long segmentBytes) throws IOException {
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
            WalSegment segment = recover(file, base, i == files.size() - 1);
            segments.put(base, segment);
            expectedBase = segment.endOffset();
        }
        if (segments.isEmpty()) {
            segments.put(0L, WalSegment.create(dir, 0));
            FileSync.directory(dir);
        }
        return new WalChannel(name, dir, segmentBytes, segments);
    }

    private static List<Path> segmentFiles(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> p.getFileName().toString().matches("\\d{20}\\.seg")).sorted().toList();
        }
    }

    private static WalSegment recover(Path file, long base, boolean last) throws IOException {
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
        return WalSegment.open(file, base, positions, count, end);
    }

    String name() {
        return name;
    }

    long append(byte[] payload) {
        long offset;
        appendLock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("WAL is closed");
            }
            if (writeFailure != null) {
                throw new UncheckedIOException("WAL channel " + name + " failed earlier; reopen the WAL to recover", writeFailure);
            }
            if (active.size() > 0 && active.size() + payload.length > segmentBytes) {
                roll();
            }
            offset = nextOffset;
            active.append(payload);
            nextOffset = offset + 1;
            sync.written(offset + 1);
        } catch (IOException e) {
            writeFailure = e;
            throw new UncheckedIOException("WAL append to " + name + " failed", e);
        } finally {
            appendLock.unlock();
        }
        sync.awaitDurable(offset + 1);
        return offset;
    }

    private void roll() throws IOException {
        active.force();
        WalSegment next = WalSegment.create(dir, nextOffset);
        FileSync.directory(dir);
        segments.put(nextOffset, next);
        active = next;
    }

    /** Forces the active segment; a segment rolled away meanwhile was forced by the roll. */
    private void forceActive() throws IOException {
        WalSegment segment = active;
        try {
            segment.force();
        } catch (ClosedChannelException e) {
            if (segment == active) {
                throw e;
            }
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

    void close() {
        appendLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            sync.close();
            for (WalSegment segment : segments.values()) {
                segment.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("WAL channel " + name + ": close failed", e);
        } finally {
            appendLock.unlock();
        }
    }
}
