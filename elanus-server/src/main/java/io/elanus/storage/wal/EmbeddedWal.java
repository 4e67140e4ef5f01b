package io.elanus.storage.wal;

import io.elanus.storage.DataDirGuard;
import io.elanus.storage.StorageFaultException;
import io.elanus.storage.StorageFaultLog;
import io.elanus.storage.file.ChannelOpener;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The standalone WAL: durable files on local disk.
 *
 * <p>Layout: {@code <dir>/<channel>/<base offset, 20 digits>.seg}. A segment holds consecutive
 * records framed as {@code [int length][int crc32c][payload]}; a new segment starts once the
 * current one would exceed the segment size (16 MiB by default). Offsets are not stored: on open
 * each segment is scanned to rebuild its offset index, and a torn or corrupt tail of the last
 * segment (a crash mid-append) is cut off.
 *
 * <p>Durability rule: {@link #append} returns after an fsync covering the record; concurrent
 * appends to a channel share one fsync (group commit). Readers see only records already durable.
 * A segment is fsynced before the next one is created. {@link #truncateBefore} deletes whole
 * segment files only, so {@link #startOffset} may stay below the requested offset.
 *
 * <p>Faults: an append that fails for a full disk, a read-only or a deleted directory throws a
 * {@link StorageFaultException} naming the cause, and {@link #activeFaults} reports it until an
 * append to that channel succeeds again; a channel repairs itself on its next append (see
 * {@link WalChannel}), so writes resume without a restart once the cause is gone. Each channel
 * fails on its own: one failed channel never blocks appends to the others. Reads of durable
 * records go on throughout. A deleted WAL directory refuses every write from then on.
 *
 * <p>No background threads. {@link #close} makes every written record durable, then closes the
 * files; pending {@link WalReader#poll} calls fail with {@link IllegalStateException}.
 */
public final class EmbeddedWal implements Wal {

    /**
     * Truncation drops whole segments and opening scans every one left, so the size bounds what a
     * restart reads beyond the unflushed tail; a record larger than this gets a segment of its own.
     */
    public static final long DEFAULT_SEGMENT_BYTES = 16L << 20;

    /** Fault key of a channel that could not be created (the faults of existing channels use their names). */
    private static final String NEW_CHANNELS = "new channels";

    private final Path dir;
    private final long segmentBytes;
    private final ChannelOpener opener;
    private final ConcurrentHashMap<String, WalChannel> channels = new ConcurrentHashMap<>();
    private final StorageFaultLog faults;
    private DataDirGuard guard;
    private volatile boolean closed;

    private EmbeddedWal(Path dir, long segmentBytes, ChannelOpener opener) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.opener = opener;
        this.faults = new StorageFaultLog("WAL", dir);
    }

    public static EmbeddedWal open(Path dir) {
        return open(dir, DEFAULT_SEGMENT_BYTES);
    }

    /** Opens (or creates) the WAL in {@code dir}, recovering every channel found there. */
    public static EmbeddedWal open(Path dir, long segmentBytes) {
        return open(dir, segmentBytes, ChannelOpener.DEFAULT);
    }

    /** As {@link #open(Path, long)}, opening segment files through {@code opener} (tests inject faults there). */
    public static EmbeddedWal open(Path dir, long segmentBytes, ChannelOpener opener) {
        if (segmentBytes <= 0) {
            throw new IllegalArgumentException("segmentBytes must be positive");
        }
        EmbeddedWal wal = new EmbeddedWal(dir, segmentBytes, opener);
        try {
            Files.createDirectories(dir);
            wal.guard = new DataDirGuard(dir);
            try (Stream<Path> list = Files.list(dir)) {
                for (Path channelDir : list.filter(Files::isDirectory).toList()) {
                    String name = channelDir.getFileName().toString();
                    if (WalChannelNames.isValid(name)) {
                        wal.channels.put(name, WalChannel.open(name, channelDir, segmentBytes, opener, wal.guard));
                    }
                }
            }
        } catch (IOException e) {
            wal.close();
            throw new UncheckedIOException("cannot open WAL in " + dir, e);
        }
        return wal;
    }

    private WalChannel channel(String name) {
        ensureOpen();
        WalChannel existing = channels.get(name);
        if (existing != null) {
            return existing;
        }
        if (!WalChannelNames.isValid(name)) {
            throw new IllegalArgumentException("invalid WAL channel name: " + name);
        }
        // Creating a channel would re-create a deleted WAL directory: check its identity first (rare, so cheap enough).
        guard.check();
        WalChannel created = channels.computeIfAbsent(name, n -> {
            try {
                return WalChannel.open(n, dir.resolve(n), segmentBytes, opener, guard);
            } catch (IOException e) {
                StorageFaultException fault = StorageFaultException.classify(dir.resolve(n), e);
                faults.raise(NEW_CHANNELS, fault);
                throw fault;
            }
        });
        faults.clear(NEW_CHANNELS);
        return created;
    }

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("WAL is closed");
        }
    }

    @Override
    public WalPosition append(String channel, byte[] payload) {
        long offset;
        try {
            offset = channel(channel).append(payload);
        } catch (StorageFaultException e) {
            faults.raise(channel, e);
            throw e;
        }
        faults.clear(channel);
        return new WalPosition(channel, offset);
    }

    /** The faults of appends now, and a deleted WAL directory (checked on each call). */
    @Override
    public List<String> activeFaults() {
        return faults.activeWith(closed || guard == null ? null : guard.lossOrNull());
    }

    /** Opening a reader on an unknown channel creates it, so a consumer may start before the producer. */
    @Override
    public WalReader openReader(String channel, long fromOffset) {
        WalChannel ch = channel(channel);
        if (fromOffset < ch.startOffset()) {
            throw new IllegalArgumentException("WAL channel " + channel + ": offset " + fromOffset
                    + " was truncated; the channel starts at " + ch.startOffset());
        }
        return new EmbeddedWalReader(this, ch, fromOffset);
    }

    @Override
    public long endOffset(String channel) {
        WalChannel ch = channels.get(channel);
        return ch == null ? 0 : ch.endOffset();
    }

    @Override
    public void truncateBefore(String channel, long offset) {
        ensureOpen();
        WalChannel ch = channels.get(channel);
        if (ch != null) {
            ch.truncateBefore(offset);
        }
    }

    @Override
    public long startOffset(String channel) {
        WalChannel ch = channels.get(channel);
        return ch == null ? 0 : ch.startOffset();
    }

    @Override
    public Set<String> channels() {
        return new TreeSet<>(channels.keySet());
    }

    @Override
    public void close() {
        closed = true;
        RuntimeException failure = null;
        for (WalChannel ch : channels.values()) {
            try {
                ch.close();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
