package io.elanus.it;

import java.io.BufferedReader;
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
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A child process started the way an operator would start it, ready once it prints a marker line.
 * Its stdout and stderr go to {@code target/<name>-<n>.log}, one file per start; a failed start
 * reports the last lines of output.
 */
final class ChildProcess {
    private static final int TAIL_LINES = 40;
    private static final Duration GRACEFUL_STOP = Duration.ofSeconds(15);
    private static final AtomicInteger START_COUNTER = new AtomicInteger();

    private final Process process;
    private final Path logFile;
    private final OutputPump pump;

    private ChildProcess(Process process, Path logFile, OutputPump pump) {
        this.process = process;
        this.logFile = logFile;
        this.pump = pump;
    }

    /** Starts {@code command} and waits until a line of its output contains {@code readyMarker}. */
    static ChildProcess start(String name, List<String> command, Map<String, String> env, String readyMarker, Duration readyTimeout) {
        Path logFile = Paths.get("target").toAbsolutePath().resolve(name + "-" + START_COUNTER.incrementAndGet() + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process;
        try {
            Files.createDirectories(logFile.getParent());
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
        OutputPump pump = new OutputPump(process, logFile, readyMarker);
        Thread pumpThread = new Thread(pump, name + "-output");
        pumpThread.setDaemon(true);
        pumpThread.start();
        ChildProcess child = new ChildProcess(process, logFile, pump);
        child.awaitReady(name, readyMarker, readyTimeout);
        return child;
    }

    private void awaitReady(String name, String readyMarker, Duration timeout) {
        try {
            if (pump.ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && pump.readyLine != null) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String reason = process.isAlive()
                ? "did not print '" + readyMarker + "' within " + timeout.toSeconds() + " s"
                : "exited with code " + process.exitValue() + " before it was ready";
        process.destroyForcibly();
        throw new IllegalStateException(name + " " + reason + " (log " + logFile + "); last output:\n"
                + String.join("\n", pump.tail()));
    }

    /** The output line that contained the ready marker. */
    String readyLine() {
        return pump.readyLine;
    }

    Path logFile() {
        return logFile;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    int exitValue() {
        return process.exitValue();
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL on Linux: the process gets no chance to flush or close anything. */
    void kill9() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
    }

    /** SIGTERM, then SIGKILL if it has not exited within 15 s. */
    void stop() {
        process.destroy();
        if (!awaitExit(GRACEFUL_STOP)) {
            kill9();
        }
    }

    private boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies the child's output to its log file, and signals when the ready line appears or the output ends. */
    private static final class OutputPump implements Runnable {
        private final Process process;
        private final Path logFile;
        private final String readyMarker;
        private final Deque<String> tail = new ArrayDeque<>();
        final CountDownLatch ready = new CountDownLatch(1);
        volatile String readyLine;

        OutputPump(Process process, Path logFile, String readyMarker) {
            this.process = process;
            this.logFile = logFile;
            this.readyMarker = readyMarker;
        }

        @Override
        public void run() {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 PrintWriter log = new PrintWriter(Files.newBufferedWriter(logFile, StandardCharsets.UTF_8), true)) {
                String line;
                while ((line = reader.readLine()) != null) {
                    log.println(line);
                    remember(line);
                    if (readyLine == null && line.contains(readyMarker)) {
                        readyLine = line;
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
