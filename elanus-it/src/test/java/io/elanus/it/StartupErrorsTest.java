package io.elanus.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server that cannot start says why in one line on stderr and exits non-zero, without a stack trace: a second
 * server on a data directory in use (naming the holder's pid), the gRPC or the metrics port in use, a data
 * directory that cannot be created, a bad configuration.
 */
class StartupErrorsTest {
    private static final long EXIT_TIMEOUT_SECONDS = 180;

    @TempDir
    Path tmp;

    @Test
    void aSecondServerOnTheSameDataDirectoryIsRefusedAndNamesTheHoldersPid() {
        try (ElanusServerProcess first = ElanusServerProcess.start()) {
            Failure second = run(first.dataDir(), ChildProcess.freePort(), ChildProcess.freePort());
            assertEquals(1, second.exitCode, second.output());
            second.assertOneLine("elanus: cannot start the standalone server: data directory " + first.dataDir()
                    + " is in use by another Elanus server (pid " + first.pid() + "); stop it first or choose another --data-dir");
            assertTrue(first.isAlive(), "the first server keeps running");
        }
    }

    @Test
    void aGrpcPortInUseIsReportedInOneLine() throws IOException {
        try (ServerSocket taken = bound()) {
            int port = taken.getLocalPort();
            Failure f = run(tmp.resolve("data"), port, ChildProcess.freePort());
            assertEquals(1, f.exitCode, f.output());
            f.assertOneLine("elanus: cannot start the standalone server: cannot serve the Milvus gRPC API on port " + port
                    + ": address already in use (another server running? choose another with --port or proxy.port)");
        }
    }

    @Test
    void aMetricsPortInUseIsReportedInOneLine() throws IOException {
        try (ServerSocket taken = bound()) {
            int port = taken.getLocalPort();
            Failure f = run(tmp.resolve("data"), ChildProcess.freePort(), port);
            assertEquals(1, f.exitCode, f.output());
            f.assertOneLine("elanus: cannot start the standalone server: cannot serve /healthz on port " + port
                    + ": address already in use (another server running? choose another with --metrics-port or metrics.port, 0 disables it)");
        }
    }

    /** A path under a regular file cannot be created, even by root (tests may run as root, where chmod does not stop writes). */
    @Test
    void aDataDirectoryThatCannotBeCreatedIsReportedInOneLine() throws IOException {
        Path file = Files.writeString(tmp.resolve("a-file"), "not a directory");
        Path dataDir = file.resolve("data");
        Failure f = run(dataDir, ChildProcess.freePort(), ChildProcess.freePort());
        assertEquals(1, f.exitCode, f.output());
        f.assertOneLine("elanus: cannot start the standalone server: data directory " + dataDir + " is not writable: ");
    }

    @Test
    void aBadConfigurationIsReportedInOneLine() throws IOException {
        Path config = Files.writeString(tmp.resolve("milvus.yaml"), "proxy:\n  port: not-a-number\n");
        Failure f = run(List.of("standalone", "--config", config.toString(), "--data-dir", tmp.resolve("data").toString()));
        assertEquals(2, f.exitCode, f.output());
        f.assertOneLine("elanus: bad configuration: ");
        assertTrue(f.output().contains("proxy.port"), f.output());
        Failure missing = run(List.of("standalone", "--config", tmp.resolve("missing.yaml").toString()));
        assertEquals(2, missing.exitCode, missing.output());
        missing.assertOneLine("elanus: cannot read configuration file " + tmp.resolve("missing.yaml"));
    }

    private static ServerSocket bound() throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(0));
        return s;
    }

    private static Failure run(Path dataDir, int port, int metricsPort) {
        return run(List.of("standalone", "--data-dir", dataDir.toString(), "--port", Integer.toString(port),
                "--metrics-port", Integer.toString(metricsPort)));
    }

    /** Runs the server command to its exit (it must not start), capturing stdout and stderr apart. */
    private static Failure run(List<String> args) {
        List<String> command = ServerClasspath.javaCommand("-Xmx512m");
        command.addAll(args);
        try {
            Path out = Files.createTempFile("elanus-start-", ".out");
            Path err = Files.createTempFile("elanus-start-", ".err");
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("the server started (or hung) instead of refusing: " + String.join(" ", args)
                        + "\n" + Files.readString(out));
            }
            Failure f = new Failure(p.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8),
                    Files.readAllLines(err, StandardCharsets.UTF_8));
            Files.delete(out);
            Files.delete(err);
            return f;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private record Failure(int exitCode, List<String> stdout, List<String> stderr) {
        String output() {
            return "stdout:\n" + String.join("\n", stdout) + "\nstderr:\n" + String.join("\n", stderr);
        }

        /** stderr holds exactly one line, starting with {@code expectedStart}, and no output holds a stack trace. */
        void assertOneLine(String expectedStart) {
            List<String> lines = new ArrayList<>(stderr.stream().filter(l -> !l.startsWith("WARNING: ")).toList());
            assertEquals(1, lines.size(), "one line on stderr:\n" + output());
            assertTrue(lines.getFirst().startsWith(expectedStart), "expected a line starting with\n" + expectedStart + "\n" + output());
            assertFalse(stdout.stream().anyMatch(l -> l.startsWith("\tat ") || l.contains("Exception")), "no stack trace:\n" + output());
            assertFalse(stdout.stream().anyMatch(l -> l.contains(ElanusServerProcess.READY_MARKER)), "never says ready:\n" + output());
        }
    }
}
