package io.elanus.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * Detects that a backend's directory was deleted or replaced while the server runs. Open files
 * keep working after {@code rm -rf} (writes land in unlinked inodes and are gone after a restart),
 * so the directory's identity (its inode, as {@link BasicFileAttributes#fileKey}) is recorded at
 * open and compared on demand; a file in use is compared against the identity it had when opened.
 * Once a loss is seen it is permanent: everything written since may be gone, so writes stay refused
 * until a restart. Thread-safe.
 */
public final class DataDirGuard {

    private final Path dir;
    private final Object dirKey;
    private volatile StorageFaultException lost;

    public DataDirGuard(Path dir) {
        this.dir = dir.toAbsolutePath();
        try {
            this.dirKey = identity(this.dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the identity of " + dir, e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** The identity of {@code path} (an inode on Unix); throws {@link NoSuchFileException} when it is gone. */
    public static Object identity(Path path) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        // Without inode numbers (fileKey null) the best that can be told is whether the path exists.
        return Objects.requireNonNullElse(attrs.fileKey(), Boolean.TRUE);
    }

    /** Throws the recorded loss, if one was seen; no I/O. */
    public void ensureNotLost() {
        StorageFaultException fault = lost;
        if (fault != null) {
            throw fault;
        }
    }

    /** Whether a loss was seen; no I/O. */
    public boolean isLost() {
        return lost != null;
    }

    /** Compares the directory's identity now with the one recorded at open; throws once it differs. */
    public void check() {
        ensureNotLost();
        verify(dir, dirKey);
    }

    /** Throws (and remembers) a loss when {@code file} no longer is the file whose identity was {@code key}. */
    public void verify(Path file, Object key) {
        ensureNotLost();
        IOException cause = null;
        try {
            if (key.equals(identity(file))) {
                return;
            }
        } catch (IOException e) {
            cause = e;
        }
        if (cause != null && !(cause instanceof NoSuchFileException)) {
            // Not a proof of loss (e.g. EIO while reading attributes): fail this write, remember nothing.
            throw StorageFaultException.classify(file, cause);
        }
        StorageFaultException fault = StorageFaultException.dataDeleted(dir, cause);
        synchronized (this) {
            if (lost == null) {
                lost = fault;
            }
        }
        throw lost;
    }

    /** The loss seen so far, or null; checks the directory's identity first. */
    public StorageFaultException lossOrNull() {
        try {
            check();
            return null;
        } catch (StorageFaultException e) {
            return e.kind() == StorageFaultException.Kind.DATA_DELETED ? e : null;
        }
    }
}
