package io.elanus.devcluster;

import io.elanus.storage.kv.etcd.EtcdTestServer;
import io.elanus.storage.object.s3.S3TestServer;
import io.elanus.storage.wal.kafka.KafkaTestBroker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The backends of a local cluster for tests and trying things out: etcd (Debian's etcd-server
 * binary), a single-node Kafka broker in KRaft mode and an in-memory S3-compatible server
 * (s3proxy), all on free loopback ports. Prints one line with the milvus.yaml settings that point
 * roles at them, then runs until stdin closes or the process is stopped; everything stops with it.
 * Usage: {@code DevBackends <work dir>}.
 */
public final class DevBackends {
    public static final String READY_MARKER = "Elanus dev backends ready:";
    static final String BUCKET = "elanus";

    private DevBackends() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/dev-backends").toAbsolutePath();
        Files.createDirectories(dir.resolve("kafka"));
        EtcdTestServer etcd = EtcdTestServer.startNew();
        KafkaTestBroker kafka = KafkaTestBroker.start(dir.resolve("kafka"));
        S3TestServer s3 = new S3TestServer();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAll(etcd, kafka, s3), "dev-backends-stop"));
        System.out.println(READY_MARKER + " etcd.endpoints=" + etcd.endpoint() + " kafka.brokerList=" + kafka.bootstrapServers()
                + " minio.address=127.0.0.1 minio.port=" + s3.port() + " minio.bucketName=" + BUCKET
                + " minio.accessKeyID=" + S3TestServer.ACCESS_KEY + " minio.secretAccessKey=" + S3TestServer.SECRET_KEY);
        System.out.flush();
        awaitStdinClosed();
        System.exit(0);
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
