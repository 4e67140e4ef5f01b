package io.elanus.devcluster;

import io.elanus.storage.kv.etcd.EtcdTestServer;
import io.elanus.storage.object.s3.S3TestServer;
import io.elanus.storage.wal.kafka.KafkaTestBroker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The backends of a local cluster for tests and trying things out: etcd (Debian's etcd-server
 * binary), a single-node Kafka broker in KRaft mode and an in-memory S3-compatible server
 * (s3proxy), all on free loopback ports, all starting empty and keeping nothing after they stop.
 * Writes {@code <work dir>/cluster.yaml} and prints one line with the settings that point roles at
 * them, then runs until stdin closes or the process is stopped; everything stops with it.
 * Usage: {@code DevBackends <work dir>}.
 */
public final class DevBackends {
    public static final String READY_MARKER = "Elanus dev backends ready:";
    static final String BUCKET = "elanus";

    private DevBackends() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/dev-backends").toAbsolutePath();
        // Every start is a fresh cluster (etcd's data is temporary and S3 is in memory), so Kafka starts empty too.
        deleteRecursively(dir.resolve("kafka"));
        Files.createDirectories(dir.resolve("kafka"));
        EtcdTestServer etcd = EtcdTestServer.startNew();
        KafkaTestBroker kafka = KafkaTestBroker.start(dir.resolve("kafka"));
        S3TestServer s3 = new S3TestServer();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAll(etcd, kafka, s3), "dev-backends-stop"));
        Path yaml = dir.resolve("cluster.yaml");
        Files.writeString(yaml, clusterYaml(etcd.endpoint(), kafka.bootstrapServers(), s3.port()));
        System.out.println("cluster settings written to " + yaml);
        System.out.println(READY_MARKER + " etcd.endpoints=" + etcd.endpoint() + " kafka.brokerList=" + kafka.bootstrapServers()
                + " minio.address=127.0.0.1 minio.port=" + s3.port() + " minio.bucketName=" + BUCKET
                + " minio.accessKeyID=" + S3TestServer.ACCESS_KEY + " minio.secretAccessKey=" + S3TestServer.SECRET_KEY);
        System.out.flush();
        awaitStdinClosed();
        System.exit(0);
    }

    /**
     * A milvus.yaml for every role of a cluster on this machine: the backends above, and internal
     * ports and the management port left to the system, so several nodes of a role fit on one host.
     */
    private static String clusterYaml(String etcdEndpoint, String kafkaBrokers, int s3Port) {
        return """
                etcd:
                  endpoints: %s
                  rootPath: by-dev
                mq:
                  type: kafka
                kafka:
                  brokerList: %s
                minio:
                  address: 127.0.0.1
                  port: %d
                  bucketName: %s
                  accessKeyID: %s
                  secretAccessKey: %s
                  useSSL: false
                  rootPath: files
                metrics:
                  port: 0
                dataNode:
                  port: 0
                queryNode:
                  port: 0
                indexNode:
                  port: 0
                """.formatted(etcdEndpoint, kafkaBrokers, s3Port, BUCKET, S3TestServer.ACCESS_KEY, S3TestServer.SECRET_KEY);
    }

    /** The parent (a test, or the shell) owns this process: when its end of stdin closes, everything stops. */
    private static void awaitStdinClosed() {
        try {
            while (System.in.read() >= 0) {
                // keep reading until EOF
            }
        } catch (IOException e) {
            // stdin is gone: same as EOF
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (Files.exists(path)) {
            try (Stream<Path> all = Files.walk(path)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static void stopAll(AutoCloseable... backends) {
        for (AutoCloseable b : backends) {
            try {
                b.close();
            } catch (Exception e) {
                System.err.println("stopping " + b + " failed: " + e);
            }
        }
    }
}
