package io.elanus.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * A write to a local storage backend failed for a cause the operator can act on: the disk is full,
 * the directory is read-only, or the data directory vanished. It carries the cause's kind and the
 * path, and its message names both, so the server can answer with a clear error instead of a bare
 * I/O failure.
 */
public final class StorageFaultException extends UncheckedIOException {

    public enum Kind {
        /** ENOSPC or EDQUOT: writes resume once space is freed. */
        DISK_FULL,
        /** EROFS or EACCES: writes resume once the directory is writable again. */
        READ_ONLY,
        /** The data directory (or a file in use in it) was deleted or replaced: writes stay refused until a restart. */
        DATA_DELETED,
        /** Any other I/O error. */
        IO_ERROR
    }

    private final Kind kind;
    private final transient Path path;

    public StorageFaultException(Kind kind, Path path, String message, IOException cause) {
        super(message, cause);
        this.kind = kind;
        this.path = path;
    }

    public Kind kind() {
        return kind;
    }

    public Path path() {
        return path;
    }

    /** Classifies a failed write to {@code path} by the error the operating system gave. */
    public static StorageFaultException classify(Path path, IOException error) {
        if (error instanceof StorageFaultException.Wrapped wrapped) {
            return wrapped.fault;
        }
        String reason = reasonOf(error);
        String lower = reason.toLowerCase(Locale.ROOT);
        if (lower.contains("no space left") || lower.contains("disk quota exceeded")) {
            return new StorageFaultException(Kind.DISK_FULL, path, "disk quota exhausted: no space left on " + path, error);
        }
        if (lower.contains("read-only file system")) {
            return new StorageFaultException(Kind.READ_ONLY, path, "data directory is read-only: cannot write " + path, error);
        }
        if (error instanceof AccessDeniedException || lower.contains("permission denied")) {
            return new StorageFaultException(Kind.READ_ONLY, path,
                    "data directory is not writable: permission denied on " + path, error);
        }
        if (error instanceof NoSuchFileException) {
            return dataDeleted(path, error);
        }
        return new StorageFaultException(Kind.IO_ERROR, path, "I/O error on " + path + ": " + reason, error);
    }

    /** {@code path} (or the directory holding it) was deleted or replaced while the server ran. */
    public static StorageFaultException dataDeleted(Path path, IOException cause) {
        return new StorageFaultException(Kind.DATA_DELETED, path, "data directory deleted: " + path
                + " vanished while the server was running; writes are refused until the server is restarted", cause);
    }

    /** The first storage fault in {@code error}'s cause chain. */
    public static Optional<StorageFaultException> find(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof StorageFaultException fault) {
                return Optional.of(fault);
            }
            if (t instanceof Wrapped wrapped) {
                return Optional.of(wrapped.fault);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return Optional.empty();
    }

    /** This fault as a checked {@link IOException}, for code paths that declare one. */
    public IOException asIOException() {
        return new Wrapped(this);
    }

    private static String reasonOf(IOException error) {
        if (error instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    }

    /** Carries a classified fault through signatures that throw {@link IOException}. */
    private static final class Wrapped extends IOException {
        private final transient StorageFaultException fault;

        Wrapped(StorageFaultException fault) {
            super(fault.getMessage(), fault);
            this.fault = fault;
        }
    }
}
