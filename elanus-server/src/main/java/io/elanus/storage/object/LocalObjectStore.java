package io.elanus.storage.object;

import io.elanus.storage.file.FileSync;

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
 * No background threads; {@link #close} does nothing.
 */
public final class LocalObjectStore implements ObjectStore {

    private static final String STAGING = ".staging";
    private static final int RENAME_ATTEMPTS = 5;

    private final Path root;
    private final Path staging;

    public LocalObjectStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.staging = this.root.resolve(STAGING);
        try {
            Files.createDirectories(staging);
            clearStaging();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open object store at " + root, e);
        }
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
        } catch (IOException e) {
            throw new UncheckedIOException("put " + key + " failed", e);
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
                throw new IOException("cannot create " + dir + ": an object with that key exists", e);
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
        try {
            if (Files.isRegularFile(file) && Files.deleteIfExists(file)) {
                FileSync.directory(file.getParent());
                pruneEmptyParents(file.getParent());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("delete " + key + " failed", e);
        }
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
