package io.elanus.storage.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * How the embedded logs open their files: {@link #DEFAULT} is {@link FileChannel#open}; tests pass
 * an opener whose channels fail on demand (a full disk, a read-only file system) to drive the
 * recovery paths without a real device.
 */
@FunctionalInterface
public interface ChannelOpener {

    ChannelOpener DEFAULT = path -> FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE);

    /** Opens {@code path} for reading and writing, creating it if missing. */
    FileChannel open(Path path) throws IOException;
}
