package io.elanus.server;

import io.elanus.common.StartupException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

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
            StartupException refused = assertThrows(StartupException.class, () -> DataDirLock.acquire(data));
            assertEquals("data directory " + data + " is in use by another Elanus server (pid " + pid
                    + "); stop it first or choose another --data-dir", refused.getMessage());
            // Checked before this JVM opens the file again: closing any descriptor of it drops the OS lock.
            assertEquals("locked", lockSeenByAnotherProcess(data.resolve(DataDirLock.FILE_NAME)),
                    "the refused in-process start must leave the OS lock in place");
            assertEquals(pid + "\n", Files.readString(data.resolve(DataDirLock.FILE_NAME)), "a refused start leaves the pid alone");
        }
        try (DataDirLock again = DataDirLock.acquire(data)) {
            assertTrue(Files.exists(data.resolve(DataDirLock.FILE_NAME)));
        }
    }

    /** Runs a child JVM that tries the lock: "locked" when someone holds it, "free" when it could take it. */
    private String lockSeenByAnotherProcess(Path lockFile) throws Exception {
        Path probe = Files.writeString(dir.resolve("LockProbe.java"), """
                import java.nio.channels.FileChannel;
                import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
                import java.nio.file.StandardOpenOption;
                public class LockProbe {
                    public static void main(String[] args) throws Exception {
                        try (FileChannel c = FileChannel.open(Path.of(args[0]), StandardOpenOption.WRITE)) {
                            System.out.print(c.tryLock() == null ? "locked" : "free");
                        }
                    }
                }
                """);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, probe.toString(), lockFile.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "lock probe did not finish");
        return out;
    }

    @Test
    void aDirectoryBelowARegularFileIsNotWritable() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");
        StartupException e = assertThrows(StartupException.class, () -> DataDirLock.acquire(file.resolve("data")));
        assertTrue(e.getMessage().startsWith("data directory " + file.resolve("data") + " is not writable: "), e.getMessage());
    }
}
