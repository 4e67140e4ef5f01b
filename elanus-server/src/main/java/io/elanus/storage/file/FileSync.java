package io.elanus.storage.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** fsync helpers. */
public final class FileSync {

    private FileSync() {
    }

    /**
     * Makes the directory's entries (files created, renamed or deleted in it) durable; a new file's
     * own fsync does not cover its name in the parent directory.
     */
    public static void directory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** Cuts a file back to {@code length} bytes (dropping a torn tail) and makes that durable. */
    public static void truncate(Path file, long length) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(length);
            channel.force(true);
        }
    }
}
