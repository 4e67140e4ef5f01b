package io.elanus.storage.kv.etcd;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A single-member etcd for tests: the {@code etcd} binary (Debian's etcd-server package) run as a
 * child process on free loopback ports with a temporary data directory. {@link #stop} and
 * {@link #start} again keep the ports and data, like restarting a real member.
 */
public final class EtcdTestServer implements AutoCloseable {
    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(60);

    private final Path binary;
    private final Path dataDir;
    private final Path logFile;
    private final int clientPort;
    private final int peerPort;
    private Process process;
    /** Kills etcd if the test JVM exits without {@link #stop} (a failed or interrupted run). */
    private Thread killOnExit;

    private EtcdTestServer(Path binary, Path workDir, int clientPort, int peerPort) {
        this.binary = binary;
        this.dataDir = workDir.resolve("data");
        this.logFile = workDir.resolve("etcd.log");
        this.clientPort = clientPort;
        this.peerPort = peerPort;
    }

    /**
     * Starts a fresh etcd; fails (never skips) when the binary is missing. A free port can be taken
     * by another process before etcd binds it, so a failed start is retried on new ports.
     */
    public static EtcdTestServer startNew() throws IOException, InterruptedException {
        Path binary = findBinary();
        IllegalStateException failure = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            EtcdTestServer server = new EtcdTestServer(binary, Files.createTempDirectory("elanus-etcd-test"), freePort(), freePort());
            try {
                server.start();
                return server;
            } catch (IllegalStateException e) {
                server.close();
                failure = e;
            }
        }
        throw failure;
    }

    private static Path findBinary() {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.concat(Stream.of(path.split(File.pathSeparator)), Stream.of("/usr/bin", "/usr/local/bin"))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, "etcd"))
                .filter(Files::isExecutable)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "the etcd binary is not installed: the etcd meta store tests need it. "
                                + "Install Debian's etcd-server package: apt-get install -y etcd-server (bin/test does this)"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public String endpoint() {
        return "127.0.0.1:" + clientPort;
    }

    public boolean isRunning() {
        return process != null;
    }

    public void start() throws IOException, InterruptedException {
        String client = "http://127.0.0.1:" + clientPort;
        String peer = "http://127.0.0.1:" + peerPort;
        process = new ProcessBuilder(binary.toString(),
                "--name", "elanus-test",
                "--data-dir", dataDir.toString(),
                "--listen-client-urls", client,
                "--advertise-client-urls", client,
                "--listen-peer-urls", peer,
                "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "elanus-test=" + peer,
                "--logger", "zap",
                "--log-outputs", "stderr")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        killOnExit = new Thread(process::destroyForcibly, "etcd-test-server-kill");
        Runtime.getRuntime().addShutdownHook(killOnExit);
        awaitHealthy();
    }

    private void awaitHealthy() throws IOException, InterruptedException {
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://" + endpoint() + "/health"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + STARTUP_LIMIT.toNanos();
        try (HttpClient http = HttpClient.newHttpClient()) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("etcd exited with " + process.exitValue() + ":\n" + logTail());
                }
                try {
                    HttpResponse<String> response = http.send(health, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200 && response.body().contains("\"health\":\"true\"")) {
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(100);
            }
        }
        stop();
        throw new IllegalStateException("etcd did not become healthy within " + STARTUP_LIMIT + ":\n" + logTail());
    }

    private String logTail() throws IOException {
        List<String> lines = Files.readAllLines(logFile);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    /** Stops etcd (SIGTERM, then SIGKILL if it lingers); its data stays for a later {@link #start}. */
    public void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        process = null;
        Runtime.getRuntime().removeShutdownHook(killOnExit);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        try (Stream<Path> files = Files.walk(dataDir.getParent())) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
