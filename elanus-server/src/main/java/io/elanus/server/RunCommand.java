package io.elanus.server;

import io.elanus.common.Config;
import io.elanus.common.StartupFailure;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code elanus run <role>}: one role of a cluster in this process, on etcd, Kafka and S3. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs one role of a cluster (rootcoord, datacoord, querycoord, datanode, querynode, indexnode, proxy)",
                "on etcd (etcd.endpoints, etcd.rootPath), Kafka (mq.type: kafka, kafka.brokerList) and an S3-compatible",
                "store (minio.address, minio.port, minio.bucketName, minio.accessKeyID, minio.secretAccessKey, minio.useSSL,",
                "minio.rootPath). Keys follow milvus.yaml; environment variables override them the Milvus way (ETCD_ENDPOINTS, ...)."})
public final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ROLE", description = "rootcoord, datacoord, querycoord, datanode, querynode, indexnode or proxy")
    String role;

    @Option(names = "--config", description = "milvus.yaml-style configuration file")
    Path config;

    @Override
    public Integer call() throws Exception {
        Role which;
        Config cfg;
        try {
            which = Role.parse(role);
            cfg = Config.load(config, System.getenv(), Map.of());
        } catch (IllegalArgumentException e) {
            System.err.println("elanus: " + e.getMessage());
            return 2;
        }
        String refusal = ClusterBackends.refusal(cfg);
        if (refusal != null) {
            System.err.println("elanus: refusing to start " + which.roleName() + ": " + refusal
                    + ". Use `elanus standalone` for a single process on the embedded backends.");
            return 2;
        }
        ClusterRole running;
        try {
            running = ClusterRole.start(which, cfg);
        } catch (Exception e) {
            return StartupFailure.report(which.roleName(), e, System.err);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }, "elanus-shutdown"));
        System.out.println(ClusterRole.READY_MARKER + ": " + which.roleName() + "-" + running.serverId() + " at " + running.address());
        System.out.flush();
        stopped.await();
        return 0;
    }
}
