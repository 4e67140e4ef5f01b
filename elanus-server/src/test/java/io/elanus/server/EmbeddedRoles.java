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
 * Every role in this process on embedded backends under {@code dataDir}, wired by {@link RoleAssembly} through a
 * transport of the test's choosing (fixed server IDs, no memory protection): the test's stand-in for a server.
 */
final class EmbeddedRoles implements AutoCloseable, HealthProbe {
    private final MetaKv kv;
    private final Wal wal;
    private final ObjectStore objects;
    private final RoleAssembly roles;

    /** @param transport built on the meta store this opens */
    EmbeddedRoles(Config config, Path dataDir, java.util.function.Function<MetaKv, Transport> transport) throws Exception {
        kv = EmbeddedMetaKv.open(dataDir.resolve("meta"));
        wal = EmbeddedWal.open(dataDir.resolve("wal"));
        objects = new LocalObjectStore(dataDir.resolve("objects"));
        roles = RoleAssembly.start(EnumSet.allOf(Role.class),
                new RoleAssembly.Settings(config, dataDir.resolve("querynode-cache"), false, Session.DEFAULT_TTL),
                new RoleAssembly.Backends(kv, wal, objects), transport.apply(kv), r -> r.ordinal() + 1L, this);
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
