package io.elanus.storage.object;

import io.elanus.storage.file.FileSync;

import io.elanus.storage.DataDirGuard;
import io.elanus.storage.StorageFaultException;
import io.elanus.storage.StorageFaultLog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The standalone object store: one file per object under a root directory, at the path given by
 * its key ({@code a/b/c} is {@code <root>/a/b/c}).
 *
 * <p>Durability rule: a put writes {@code <root>/.staging/<random>}, fsyncs it, renames it
 * atomically over the target and fsyncs the target's directory, so readers see the old or the
 * whole new object and a returned put survives a crash. Deletes prune directories left empty.
 *
 * <p>Unlike S3, a key cannot be both an object and the "directory" of other objects
 * ({@code a/b} and {@code a/b/c}); such a put fails. Keys follow {@link ObjectKeys} and must not
 * start with {@code .staging}.
 *
 * <p>Faults: a put or delete that fails for a full disk, a read-only or a deleted directory throws
 * a {@link StorageFaultException} naming the cause; {@link #activeFaults} reports it until a write
 * succeeds again. Reads go on. A deleted root refuses every write from then on (the directories
 * are not silently made again).
 * No background threads; {@link #close} does nothing.
 */
public final class LocalObjectStore implements ObjectStore {

    private static final String STAGING = ".staging";
    private static final int RENAME_ATTEMPTS = 5;

    private static final String WRITE_FAULT = "writes";

    private final Path root;
    private final Path staging;
    private final DataDirGuard guard;
    private final StorageFaultLog faults;

    public LocalObjectStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.staging = this.root.resolve(STAGING);
        this.faults = new StorageFaultLog("object store", this.root);
        try {
            Files.createDirectories(staging);
            clearStaging();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open object store at " + root, e);
        }
        this.guard = new DataDirGuard(this.root);
    }

    /** Runs a write, turning its I/O failure into a classified fault that health reports until a write succeeds. */
    private void write(Path target, IoAction action) {
        try {
            guard.ensureNotLost();
            action.run();
        } catch (KeyConflictException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        } catch (IOException e) {
            StorageFaultException fault = StorageFaultException.classify(target, e);
            if (fault.kind() == StorageFaultException.Kind.DATA_DELETED) {
                fault = lossOr(fault);
            }
            faults.raise(WRITE_FAULT, fault);
            throw fault;
        } catch (StorageFaultException e) {
            faults.raise(WRITE_FAULT, e);
            throw e;
        }
        faults.clear(WRITE_FAULT);
    }

    /** A missing file is a lost root only when the root itself is gone or replaced. */
    private StorageFaultException lossOr(StorageFaultException missing) {
        StorageFaultException loss = guard.lossOrNull();
        return loss != null ? loss : new StorageFaultException(StorageFaultException.Kind.IO_ERROR, missing.path(),
                "I/O error on " + missing.path() + ": it vanished during the write", (IOException) missing.getCause());
    }

    /** A put under a key that is already an object's "directory" or the other way round: the caller's mistake, not a fault. */
    private static final class KeyConflictException extends IOException {
        KeyConflictException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }

    @Override
    public List<String> activeFaults() {
        return faults.activeWith(guard.lossOrNull());
    }

    /** Leftovers of puts interrupted by a crash. */
    private void clearStaging() throws IOException {
        try (Stream<Path> list = Files.list(staging)) {
            for (Path p : list.toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private Path pathOf(String key) {
        ObjectKeys.check(key);
        if (key.equals(STAGING) || key.startsWith(STAGING + "/")) {
            throw new IllegalArgumentException("reserved object key: " + key);
        }
        return root.resolve(key);
    }

    private String keyOf(Path file) {
        return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }

    @Override
    public void put(String key, byte[] data) {
        Path target = pathOf(key);
        Path temp = staging.resolve(UUID.randomUUID().toString());
        write(target, () -> putFile(temp, target, data));
    }

    private void putFile(Path temp, Path target, byte[] data) throws IOException {
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(data);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            moveIntoPlace(temp, target);
            FileSync.directory(target.getParent());
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // best effort: the staging directory is also cleared on open
            }
        }
    }

    /** Retries when a concurrent delete prunes the parent directory between create and rename. */
    private void moveIntoPlace(Path temp, Path target) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                createParents(target.getParent());
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return;
            } catch (NoSuchFileException e) {
                if (attempt == RENAME_ATTEMPTS) {
                    throw e;
                }
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the object store root must be on one file system supporting atomic rename", e);
            }
        }
    }

    private void createParents(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        createParents(dir.getParent());
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw new KeyConflictException("cannot create " + dir + ": an object with that key exists", e);
            }
            return;
        }
        FileSync.directory(dir.getParent());
    }

    @Override
    public Optional<byte[]> get(String key) {
        Path file = pathOf(key);
        try {
            if (Files.isDirectory(file)) {
                return Optional.empty();
            }
            return Optional.of(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("get " + key + " failed", e);
        }
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative offset or length");
        }
        Path file = pathOf(key);
        if (Files.isDirectory(file)) {
            throw new ObjectNotFoundException(key);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long available = Math.max(0, channel.size() - offset);
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(length, available));
            long at = offset;
            while (buffer.hasRemaining()) {
                int n = channel.read(buffer, at);
                if (n < 0) {
                    break;
                }
                at += n;
            }
            return buffer.position() == buffer.capacity() ? buffer.array() : Arrays.copyOf(buffer.array(), buffer.position());
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(key);
        } catch (IOException e) {
            throw new UncheckedIOException("getRange " + key + " failed", e);
        }
    }

    @Override
    public List<ObjectInfo> list(String prefix) {
        // Walk from the deepest directory the prefix names; its last segment may be partial ("a/b" matches "a/bc").
        int slash = prefix.lastIndexOf('/');
        Path start = slash < 0 ? root : pathOf(prefix.substring(0, slash));
        List<ObjectInfo> result = new ArrayList<>();
        if (!Files.isDirectory(start)) {
            return result;
        }
        try (Stream<Path> walk = Files.walk(start)) {
            walk.filter(p -> !p.startsWith(staging)).forEach(p -> {
                if (!Files.isRegularFile(p)) {
                    return;
                }
                String key = keyOf(p);
                if (key.startsWith(prefix)) {
                    try {
                        result.add(new ObjectInfo(key, Files.size(p)));
                    } catch (IOException e) {
                        // deleted concurrently: not listed
                    }
                }
            });
        } catch (UncheckedIOException e) {
            if (!(e.getCause() instanceof NoSuchFileException)) {
                throw e;
            }
        } catch (NoSuchFileException e) {
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("list " + prefix + " failed", e);
        }
        result.sort(Comparator.comparing(ObjectInfo::key));
        return result;
    }

    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(pathOf(key));
    }

    @Override
    public void delete(String key) {
        Path file = pathOf(key);
        write(file, () -> {
            if (Files.isRegularFile(file) && Files.deleteIfExists(file)) {
                FileSync.directory(file.getParent());
                pruneEmptyParents(file.getParent());
            }
        });
    }

    @Override
    public void deletePrefix(String prefix) {
        for (ObjectInfo info : list(prefix)) {
            delete(info.key());
        }
    }

    private void pruneEmptyParents(Path dir) throws IOException {
        Path current = dir;
        while (!current.equals(root)) {
            try {
                Files.delete(current);
            } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                return;
            }
            current = current.getParent();
        }
    }

    @Override
    public void close() {
    }
}
