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

    static final String DEFAULT_HEAP = "-Xmx2g";

    private final Path dataDir;
    private final int port;
    private final int healthPort;
    /** Read and written by the test thread only. */
    private List<String> jvmOptions;
    private final Map<String, String> env;
    private ChildProcess process;
    private Path lastLog;

    private ElanusServerProcess(Path dataDir, int port, int healthPort, List<String> jvmOptions, Map<String, String> env) {
        this.dataDir = dataDir;
        this.port = port;
        this.healthPort = healthPort;
        this.jvmOptions = jvmOptions;
        this.env = env;
    }

    /** Starts a server on a free port with a fresh data directory under {@code target/}, with a 2 GB heap. */
    public static ElanusServerProcess start() {
        return start(List.of(DEFAULT_HEAP));
    }

    /** As {@link #start()}, with the given JVM options (e.g. {@code -Xmx384m}) instead of the default heap; kept across restarts. */
    public static ElanusServerProcess start(List<String> jvmOptions) {
        return start(jvmOptions, Map.of());
    }

    /**
     * As {@link #start(List)}, with extra environment variables (configuration the Milvus way,
     * e.g. {@code QUOTAANDLIMITS_ENABLED=false}); kept across restarts.
     */
    public static ElanusServerProcess start(List<String> jvmOptions, Map<String, String> env) {
        try {
            Path targetDir = Paths.get("target").toAbsolutePath();
            Files.createDirectories(targetDir);
            Path dataDir = Files.createTempDirectory(targetDir, "elanus-data-");
            ElanusServerProcess server = new ElanusServerProcess(dataDir, ChildProcess.freePort(), ChildProcess.freePort(),
                    List.copyOf(jvmOptions), Map.copyOf(env));
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

    /**
     * Starts a server on a free port with {@code dataDir} as its data directory (e.g. a small file
     * system mounted by the test); {@link #close} empties it.
     */
    public static ElanusServerProcess startIn(Path dataDir) {
        ElanusServerProcess server = new ElanusServerProcess(dataDir, ChildProcess.freePort(), ChildProcess.freePort(),
                List.of(DEFAULT_HEAP), Map.of());
        server.launch();
        return server;
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

    /** The output file of the current (or, once stopped, the last) start. */
    public Path logFile() {
        return lastLog;
    }

    /** The server process's pid. */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The exit status of the server process, which must have ended. */
    public int exitStatus() {
        return process.exitValue();
    }

    /**
     * Starts the server again on the same data directory and port with other JVM options, kept
     * for later restarts (the environment stays); stops it first if it still runs.
     */
    public void restart(List<String> otherJvmOptions) {
        stopGracefully();
        jvmOptions = List.copyOf(otherJvmOptions);
        launch();
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
        List<String> command = ServerClasspath.javaCommand(jvmOptions.toArray(String[]::new));
        command.addAll(List.of("standalone", "--data-dir", dataDir.toString(), "--port", Integer.toString(port),
                "--metrics-port", Integer.toString(healthPort)));
        process = ChildProcess.start("elanus-server", command, env, READY_MARKER, READY_TIMEOUT);
        lastLog = process.logFile();
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
