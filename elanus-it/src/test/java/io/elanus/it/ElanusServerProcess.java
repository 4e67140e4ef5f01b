package io.elanus.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A standalone Elanus server run as a child JVM ({@link ServerClasspath}), the way an operator
 * would start it. Its output goes to {@code target/elanus-server-<n>.log}, one file per start.
 */
public final class ElanusServerProcess implements AutoCloseable {

    static final String READY_MARKER = "Elanus standalone ready";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final Path dataDir;
    private final int port;
    private final int healthPort;
    private ChildProcess process;

    private ElanusServerProcess(Path dataDir, int port, int healthPort) {
        this.dataDir = dataDir;
        this.port = port;
        this.healthPort = healthPort;
    }

    /** Starts a server on a free port with a fresh data directory under {@code target/}. */
    public static ElanusServerProcess start() {
        try {
            Path targetDir = Paths.get("target").toAbsolutePath();
            Files.createDirectories(targetDir);
            Path dataDir = Files.createTempDirectory(targetDir, "elanus-data-");
            ElanusServerProcess server = new ElanusServerProcess(dataDir, ChildProcess.freePort(), ChildProcess.freePort());
            try {
                server.launch();
            } catch (RuntimeException e) {
                deleteRecursively(dataDir);
                throw e;
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** The port of the server's /healthz endpoint. */
    public int healthPort() {
        return healthPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    public String uri() {
        return "http://127.0.0.1:" + port;
    }

    /** The server process's pid. */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL on Linux: the server gets no chance to flush or close anything. */
    public void kill9() {
        if (process != null) {
            process.kill9();
            process = null;
        }
    }

    /** Starts the server again on the same data directory and port (stopping it first if it still runs). */
    public void restart() {
        stopGracefully();
        launch();
    }

    @Override
    public void close() {
        stopGracefully();
        deleteRecursively(dataDir);
    }

    private void stopGracefully() {
        if (process != null) {
            process.stop();
            process = null;
        }
    }

    private void launch() {
        List<String> command = ServerClasspath.javaCommand("-Xmx2g");
        command.addAll(List.of("standalone", "--data-dir", dataDir.toString(), "--port", Integer.toString(port),
                "--metrics-port", Integer.toString(healthPort)));
        process = ChildProcess.start("elanus-server", command, Map.of(), READY_MARKER, READY_TIMEOUT);
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
