package io.elanus.server;

import io.elanus.common.Config;
import io.elanus.common.HealthProbe;
import io.elanus.session.Session;
import io.elanus.storage.kv.EmbeddedMetaKv;
import io.elanus.storage.kv.MetaKv;
import io.elanus.storage.object.LocalObjectStore;
import io.elanus.storage.object.ObjectStore;
import io.elanus.storage.wal.EmbeddedWal;
import io.elanus.storage.wal.Wal;
import io.milvus.grpc.ComponentInfo;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;

/**
 * The roles of {@link Standalone}, wired as a cluster wires them by the same {@link RoleAssembly}: each role
 * behind its own gRPC server on loopback, found through its session, and every call between roles
 * (listener registrations included) made through the gRPC clients. Only the embedded backends are shared
 * (a cluster shares etcd, Kafka and S3).
 */
final class LoopbackCluster implements AutoCloseable, HealthProbe {
    private final MetaKv kv;
    private final Wal wal;
    private final ObjectStore objects;
    private final RoleAssembly roles;

    LoopbackCluster(Config config, Path dataDir) throws Exception {
        kv = EmbeddedMetaKv.open(dataDir.resolve("meta"));
        wal = EmbeddedWal.open(dataDir.resolve("wal"));
        objects = new LocalObjectStore(dataDir.resolve("objects"));
        roles = RoleAssembly.start(EnumSet.allOf(Role.class),
                new RoleAssembly.Settings(config, dataDir.resolve("querynode-cache"), false, Session.DEFAULT_TTL),
                new RoleAssembly.Backends(kv, wal, objects), new GrpcTransport(kv, r -> 0, "localhost"),
                r -> r.ordinal() + 1L, this);
    }

    /** The Milvus API port of the proxy. */
    int port() {
        return roles.proxyPort();
    }

    @Override
    public List<String> unhealthyReasons() {
        return roles.unhealthyReasons();
    }

    @Override
    public List<ComponentInfo> componentStates() {
        return roles.componentStates();
    }

    @Override
    public void close() {
        roles.close();
        objects.close();
        wal.close();
        kv.close();
    }
}
