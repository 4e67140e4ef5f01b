package io.elanus.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A small file system mounted for one test, to give a server a real full or read-only data
 * directory: a tmpfs (to fill up), or ext4 on a loop device (to turn read-only the way the kernel
 * does after a disk error: a plain {@code mount -o remount,ro} is refused while the server holds
 * files open for writing). Needs root (CI runs as root); the factories answer empty, saying why,
 * where mounting is not allowed.
 */
final class ScratchMount implements AutoCloseable {
    private static final String FILLER = "filler.bin";

    private final Path dir;
    private final Path image;

    private ScratchMount(Path dir, Path image) {
        this.dir = dir;
        this.image = image;
    }

    /** Mounts a tmpfs of {@code bytes} at a new directory under {@code target/}, or empty if that is not possible here. */
    static Optional<ScratchMount> tmpfs(long bytes) {
        Path dir = newDir("tmpfs-");
        String failure = run("mount", "-t", "tmpfs", "-o", "size=" + bytes, "tmpfs", dir.toString());
        if (failure != null) {
            return unavailable(dir, null, failure);
        }
        return Optional.of(new ScratchMount(dir, null));
    }

    /** Mounts a fresh ext4 image of {@code bytes} (errors=remount-ro) through a loop device, or empty if not possible here. */
    static Optional<ScratchMount> ext4(long bytes) {
        Path dir = newDir("ext4-");
        Path image = dir.resolveSibling(dir.getFileName() + ".img");
        String failure = run("truncate", "-s", Long.toString(bytes), image.toString());
        if (failure == null) {
            failure = run("mkfs.ext4", "-q", "-F", "-m", "0", image.toString());
        }
        if (failure == null) {
            failure = run("mount", "-o", "loop,errors=remount-ro", image.toString(), dir.toString());
        }
        if (failure != null) {
            return unavailable(dir, image, failure);
        }
        return Optional.of(new ScratchMount(dir, image));
    }

    private static Path newDir(String prefix) {
        try {
            Path target = Path.of("target").toAbsolutePath();
            Files.createDirectories(target);
            return Files.createTempDirectory(target, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<ScratchMount> unavailable(Path dir, Path image, String failure) {
        System.out.println("cannot mount a scratch file system here (" + failure + ")");
        ElanusServerProcess.deleteRecursively(dir);
        if (image != null) {
            try {
                Files.deleteIfExists(image);
            } catch (IOException ignored) {
                // a leftover image under target/ is harmless
            }
        }
        return Optional.empty();
    }

    Path dir() {
        return dir;
    }

    /**
     * Makes the ext4 file system read-only the way the kernel does after a disk error (errors=remount-ro):
     * every write, also through files already open, then fails with EROFS.
     */
    void forceReadOnly() throws IOException {
        String source = output("findmnt", "-n", "-o", "SOURCE", dir.toString());
        Path trigger = Path.of("/sys/fs/ext4", Path.of(source).getFileName().toString(), "trigger_fs_error");
        Files.writeString(trigger, "1");
    }

    /** Unmounts (lazily if a process still holds files open) and removes the mount point and image. */
    @Override
    public void close() {
        if (run("umount", dir.toString()) != null) {
            require(run("umount", "-l", dir.toString()));
        }
        ElanusServerProcess.deleteRecursively(dir);
        if (image != null) {
            try {
                Files.deleteIfExists(image);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static String output(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        try {
            if (process.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return out;
    }

    private static void require(String failure) {
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    /** Runs a command; returns null on success, else what went wrong. */
    private static String run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return String.join(" ", command) + " did not finish";
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return process.exitValue() == 0 ? null : String.join(" ", command) + " failed: " + output;
        } catch (IOException e) {
            return String.join(" ", command) + " cannot run: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Fills the file system until not one more page fits; {@link #free} gives the space back. */
    void fill() throws IOException {
        try (var out = Files.newOutputStream(dir.resolve(FILLER))) {
            for (int blockSize : new int[] {1 << 20, 1 << 12, 1}) {
                byte[] block = new byte[blockSize];
                try {
                    while (true) {
                        out.write(block);
                    }
                } catch (IOException full) {
                    // next, smaller blocks fill what the larger ones left
                }
            }
        }
    }

    void free() throws IOException {
        Files.deleteIfExists(dir.resolve(FILLER));
    }
}
