package io.elanus.server;

import io.elanus.common.Config;

import java.nio.file.Path;

/**
 * The roles of {@link Standalone}, wired as a cluster wires them by the same {@link RoleAssembly}: each role
 * behind its own gRPC server on loopback, found through its session, and every call between roles
 * (listener registrations included) made through the gRPC clients. Only the embedded backends are shared
 * (a cluster shares etcd, Kafka and S3).
 */
final class LoopbackCluster {
    private LoopbackCluster() {
    }

    static EmbeddedRoles start(Config config, Path dataDir) throws Exception {
        return new EmbeddedRoles(config, dataDir, kv -> new GrpcTransport(kv, r -> 0, "localhost"));
    }
}
