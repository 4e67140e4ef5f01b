package io.elanus.storage.wal.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A one-node Kafka cluster for tests: broker and KRaft controller in one child JVM
 * ({@link KafkaBrokerMain}, on this JVM's classpath), listening on free loopback ports, storing its
 * data under the given directory. Its output goes to {@code target/kafka-broker-<port>.log}.
 */
public final class KafkaTestBroker implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration READY_PROBE_TIMEOUT = Duration.ofSeconds(5);
    private static final int TAIL_LINES = 40;

    private final Process process;
    private final String bootstrapServers;
    private final Path logFile;

    private KafkaTestBroker(Process process, String bootstrapServers, Path logFile) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
        this.logFile = logFile;
    }

    /** Starts the broker and returns once it accepts client requests. */
    public static KafkaTestBroker start(Path dir) throws IOException {
        int brokerPort = freePort();
        int controllerPort = freePort();
        Path config = dir.resolve("server.properties");
        Files.writeString(config, serverProperties(dir.resolve("data"), brokerPort, controllerPort));
        Path targetDir = Paths.get("target").toAbsolutePath();
        Files.createDirectories(targetDir);
        Path logFile = targetDir.resolve("kafka-broker-" + brokerPort + ".log");
        Process process = new ProcessBuilder(command(config))
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile())
                .start();
        KafkaTestBroker broker = new KafkaTestBroker(process, "127.0.0.1:" + brokerPort, logFile);
        try {
            broker.awaitReady();
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    private static String serverProperties(Path dataDir, int brokerPort, int controllerPort) {
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + brokerPort,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dataDir,
                // The WAL must create its topics itself, with its own settings.
                "auto.create.topics.enable=false",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                // Few threads: the tests share two cores with other work.
                "num.network.threads=1",
                "num.io.threads=2",
                "background.threads=2",
                "num.recovery.threads.per.data.dir=1",
                "");
    }

    private static List<String> command(Path config) {
        return List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms64m", "-Xmx384m",
                // Quick start and little CPU: a test broker carries light load.
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                KafkaBrokerMain.class.getName(),
                config.toString(),
                Uuid.randomUuid().toString());
    }

    /** Ready once the broker reports itself in the cluster: registered with the controller and unfenced. */
    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) READY_PROBE_TIMEOUT.toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) READY_PROBE_TIMEOUT.toMillis()))) {
            while (true) {
                if (!process.isAlive()) {
                    throw failure("exited with code " + process.exitValue() + " before it was ready");
                }
                try {
                    if (!admin.describeCluster().nodes().get(READY_PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    // not listening or not registered yet
                }
                if (System.nanoTime() > deadline) {
                    throw failure("was not ready within " + READY_TIMEOUT.toSeconds() + " s");
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("start was interrupted");
        }
    }

    private IllegalStateException failure(String what) {
        String tail;
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            tail = String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
        } catch (IOException e) {
            tail = "(log unreadable: " + e + ")";
        }
        return new IllegalStateException("Kafka test broker " + what + " (log " + logFile + "); last output:\n" + tail);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Kills the broker: its data is thrown away with the directory, so there is nothing to shut down cleanly. */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("Kafka test broker did not exit after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
