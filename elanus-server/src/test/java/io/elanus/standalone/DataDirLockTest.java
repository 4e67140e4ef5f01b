package io.elanus.standalone;

import io.elanus.common.StartupException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The data directory lock: exclusive while held, names its holder, free again once released. */
class DataDirLockTest {
    @TempDir
    Path dir;

    @Test
    void aHeldDirectoryIsRefusedWithTheHoldersPidAndFreeAgainAfterRelease() throws Exception {
        Path data = dir.resolve("data");
        long pid = ProcessHandle.current().pid();
        try (DataDirLock held = DataDirLock.acquire(data)) {
            assertEquals(pid + "\n", Files.readString(data.resolve(DataDirLock.FILE_NAME)));
            StartupException refused = assertThrows(StartupException.class, () -> DataDirLock.acquire(data));
            assertEquals("data directory " + data + " is in use by another Elanus server (pid " + pid
                    + "); stop it first or choose another --data-dir", refused.getMessage());
            assertEquals(pid + "\n", Files.readString(data.resolve(DataDirLock.FILE_NAME)), "a refused start leaves the pid alone");
        }
        try (DataDirLock again = DataDirLock.acquire(data)) {
            assertTrue(Files.exists(data.resolve(DataDirLock.FILE_NAME)));
        }
    }

    @Test
    void aDirectoryBelowARegularFileIsNotWritable() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");
        StartupException e = assertThrows(StartupException.class, () -> DataDirLock.acquire(file.resolve("data")));
        assertTrue(e.getMessage().startsWith("data directory " + file.resolve("data") + " is not writable: "), e.getMessage());
    }
}
