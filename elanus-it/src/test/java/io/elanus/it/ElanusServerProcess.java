package io.elanus.it;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A standalone Elanus server run as a child JVM, the way an operator would start it.
 *
 * <p>The server's classes are not on the test classpath (they share the {@code io.milvus.grpc} package
 * with the SDK), so it is located through the system properties {@code elanus.server.classes},
 * {@code elanus.server.lib} and {@code elanus.java} that the module's pom passes to surefire.
 * The child's stdout and stderr go to {@code target/elanus-server-<n>.log}, one file per start.
 */
public final class ElanusServerProcess implements AutoCloseable {

    static final String READY_MARKER = "Elanus standalone ready";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration GRACEFUL_STOP = Duration.ofSeconds(15);
    private static final int TAIL_LINES = 40;
    private static final AtomicInteger START_COUNTER = new AtomicInteger();

    private final Path dataDir;
    private final int port;
    private final int healthPort;
    private Process process;
    private Path logFile;

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
            ElanusServerProcess server = new ElanusServerProcess(dataDir, freePort(), freePort());
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

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL on Linux: the server gets no chance to flush or close anything. */
    public void kill9() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
        process = null;
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
        if (process == null) {
            return;
        }
        process.destroy();
        if (!awaitExit(GRACEFUL_STOP)) {
            process.destroyForcibly();
            awaitExit(Duration.ofSeconds(30));
        }
        process = null;
    }

    private boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void launch() {
        logFile = Paths.get("target").toAbsolutePath().resolve("elanus-server-" + START_COUNTER.incrementAndGet() + ".log");
        ProcessBuilder builder = new ProcessBuilder(command()).redirectErrorStream(true);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", builder.command()), e);
        }
        OutputPump pump = new OutputPump(process, logFile);
        Thread pumpThread = new Thread(pump, "elanus-server-output-" + port);
        pumpThread.setDaemon(true);
        pumpThread.start();
        waitUntilReady(pump);
    }

    private void waitUntilReady(OutputPump pump) {
        try {
            if (pump.ready.await(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) && pump.sawReadyLine) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String reason = process.isAlive()
                ? "did not print '" + READY_MARKER + "' within " + READY_TIMEOUT.toSeconds() + " s"
                : "exited with code " + process.exitValue() + " before it was ready";
        process.destroyForcibly();
        throw new IllegalStateException("Elanus server " + reason + " (log " + logFile + "); last output:\n"
                + String.join("\n", pump.tail()));
    }

    private List<String> command() {
        String classes = requiredPath("elanus.server.classes");
        String lib = requiredPath("elanus.server.lib");
        String javaExecutable = System.getProperty("elanus.java", Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>();
        command.add(javaExecutable);
        command.add("--add-modules");
        command.add("jdk.incubator.vector");
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-Xmx2g");
        command.add("-cp");
        command.add(classes + File.pathSeparator + lib + File.separator + "*");
        command.add("io.elanus.standalone.ElanusMain");
        command.add("standalone");
        command.add("--data-dir");
        command.add(dataDir.toString());
        command.add("--port");
        command.add(Integer.toString(port));
        command.add("--metrics-port");
        command.add(Integer.toString(healthPort));
        return command;
    }

    private static String requiredPath(String property) {
        String value = System.getProperty(property);
        if (value == null || !Files.isDirectory(Paths.get(value))) {
            throw new IllegalStateException("system property " + property + " must name the built server's directory, got " + value
                    + " (build elanus-server first, or pass -D" + property + "=...)");
        }
        return value;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies the child's output to its log file, and signals when the ready line appears or the output ends. */
    private static final class OutputPump implements Runnable {
        private final Process process;
        private final Path logFile;
        private final Deque<String> tail = new ArrayDeque<>();
        final CountDownLatch ready = new CountDownLatch(1);
        volatile boolean sawReadyLine;

        OutputPump(Process process, Path logFile) {
            this.process = process;
            this.logFile = logFile;
        }

        @Override
        public void run() {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 PrintWriter log = new PrintWriter(Files.newBufferedWriter(logFile, StandardCharsets.UTF_8), true)) {
                String line;
                while ((line = reader.readLine()) != null) {
                    log.println(line);
                    remember(line);
                    if (!sawReadyLine && line.contains(READY_MARKER)) {
                        sawReadyLine = true;
                        ready.countDown();
                    }
                }
            } catch (IOException e) {
                remember("[output pump failed: " + e + "]");
            } finally {
                ready.countDown();
            }
        }

        private synchronized void remember(String line) {
            if (tail.size() == TAIL_LINES) {
                tail.removeFirst();
            }
            tail.addLast(line);
        }

        synchronized List<String> tail() {
            return new ArrayList<>(tail);
        }
    }
}
