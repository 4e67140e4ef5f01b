package io.elanus.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A cluster on one machine, every piece its own process: the backends (etcd, a Kafka broker and an
 * S3-compatible server, from the server's dev-backends launcher) and one JVM per Elanus role
 * started with {@code elanus run <role>}, configured through Milvus's environment variables.
 */
final class LocalCluster implements AutoCloseable {
    private static final String BACKENDS_READY = "Elanus dev backends ready:";
    private static final String ROLE_READY = "Elanus cluster role ready";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    /** One running role process. */
    record Role(String name, ChildProcess process, String address) {
    }

    private final Path dataDir;
    private final ChildProcess backends;
    private final Map<String, String> env = new HashMap<>();
    private final List<Role> roles = new ArrayList<>();
    private final int proxyPort = ChildProcess.freePort();

    private LocalCluster(Path dataDir, ChildProcess backends) {
        this.dataDir = dataDir;
        this.backends = backends;
        // "Elanus dev backends ready: etcd.endpoints=... kafka.brokerList=... minio.port=..." -> milvus.yaml keys as env overrides.
        String settings = backends.readyLine().substring(backends.readyLine().indexOf(BACKENDS_READY) + BACKENDS_READY.length()).trim();
        for (String pair : settings.split("\\s+")) {
            int eq = pair.indexOf('=');
            env.put(envName(pair.substring(0, eq)), pair.substring(eq + 1));
        }
        env.put(envName("mq.type"), "kafka");
        env.put(envName("etcd.rootPath"), "elanus-it");
        env.put(envName("common.session.ttl"), "5");
        env.put(envName("metrics.port"), "0");
        env.put(envName("localStorage.path"), dataDir.resolve("local").toString());
        for (String key : List.of("rootCoord.port", "dataCoord.port", "queryCoord.port", "dataNode.port", "queryNode.port",
                "indexNode.port")) {
            env.put(envName(key), "0");
        }
        env.put(envName("proxy.port"), Integer.toString(proxyPort));
    }

    /** The environment variable Milvus (and Elanus) reads a key from. */
    private static String envName(String key) {
        return key.toUpperCase(java.util.Locale.ROOT).replace('.', '_');
    }

    /** Starts the backends only; roles are started with {@link #startRole}. */
    static LocalCluster startBackends() {
        try {
            Path target = Paths.get("target").toAbsolutePath();
            Files.createDirectories(target);
            Path dir = Files.createTempDirectory(target, "elanus-cluster-");
            List<String> command = ServerClasspath.testJavaCommand("-Xmx1g", "io.elanus.devcluster.DevBackends");
            command.add(dir.resolve("backends").toString());
            ChildProcess backends = ChildProcess.start("dev-backends", command, Map.of(), BACKENDS_READY, START_TIMEOUT);
            return new LocalCluster(dir, backends);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts {@code elanus run <role>} and waits until its session is registered. */
    Role startRole(String role) {
        return startRole(role, env);
    }

    /** Starts one more proxy, serving the Milvus API on a port of its own; returns its URI. */
    String startExtraProxy() {
        Map<String, String> own = new HashMap<>(env);
        int port = ChildProcess.freePort();
        own.put(envName("proxy.port"), Integer.toString(port));
        startRole("proxy", own);
        return "http://127.0.0.1:" + port;
    }

    private Role startRole(String role, Map<String, String> roleEnv) {
        List<String> command = ServerClasspath.javaCommand("-Xmx768m", "-XX:+UseSerialGC");
        command.addAll(List.of("run", role));
        ChildProcess p = ChildProcess.start(role, command, roleEnv, ROLE_READY, START_TIMEOUT);
        String line = p.readyLine();
        Role r = new Role(role, p, line.substring(line.lastIndexOf(' ') + 1));
        synchronized (roles) {
            roles.add(r);
        }
        return r;
    }

    String proxyUri() {
        return "http://127.0.0.1:" + proxyPort;
    }

    @Override
    public void close() {
        List<Role> running;
        synchronized (roles) {
            running = new ArrayList<>(roles);
        }
        for (int i = running.size() - 1; i >= 0; i--) {
            if (running.get(i).process().isAlive()) {
                running.get(i).process().kill9();
            }
        }
        backends.stop();
        ElanusServerProcess.deleteRecursively(dataDir);
    }
}
