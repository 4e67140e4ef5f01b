package io.elanus.server;

import io.elanus.common.Config;
import io.elanus.common.HealthProbe;
import io.elanus.common.Params;
import io.elanus.session.Session;
import io.elanus.storage.kv.EmbeddedMetaKv;
import io.elanus.storage.kv.MetaKv;
import io.elanus.storage.object.LocalObjectStore;
import io.elanus.storage.object.ObjectStore;
import io.elanus.storage.wal.EmbeddedWal;
import io.elanus.storage.wal.Wal;
import io.milvus.grpc.ComponentInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * Every role in one JVM on the embedded backends (meta KV, WAL and object store under the data
 * directory), wired by {@link RoleAssembly} through their in-process client interfaces, with memory
 * protection of this JVM's heap.
 */
public final class Standalone implements AutoCloseable, HealthProbe {
    private static final Logger LOG = LoggerFactory.getLogger(Standalone.class);
    // Server IDs of the roles in this process (each role registers a session under its ID).
    private static final Map<Role, Long> SERVER_IDS = Map.of(Role.ROOTCOORD, 1L, Role.DATACOORD, 2L, Role.QUERYCOORD, 3L,
            Role.DATANODE, 4L, Role.QUERYNODE, 5L, Role.INDEXNODE, 6L, Role.PROXY, 7L);

    private final DataDirLock lock;
    private MetaKv kv;
    private Wal wal;
    private ObjectStore objects;
    private RoleAssembly roles;
    private HealthEndpoint health;

    /**
     * Locks the data directory, opens the backends and starts every role; on any failure closes what
     * was started (and releases the lock) before rethrowing.
     *
     * @throws io.elanus.common.StartupException for causes an operator can fix (directory locked or not writable, port in use)
     */
    public Standalone(Config config, Path dataDir) throws Exception {
        lock = DataDirLock.acquire(dataDir);
        try {
            startAll(config, dataDir);
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    private void startAll(Config config, Path dataDir) throws Exception {
        List<String> ignored = config.nonDefaultClusterSettings();
        if (!ignored.isEmpty()) {
            LOG.warn("standalone mode runs on its embedded meta store, WAL and object store; ignoring {}", ignored);
        }
        long opening = System.nanoTime();
        kv = EmbeddedMetaKv.open(dataDir.resolve("meta"));
        long kvOpened = System.nanoTime();
        wal = EmbeddedWal.open(dataDir.resolve("wal"));
        objects = new LocalObjectStore(dataDir.resolve("objects"));
        LOG.info("embedded storage opened: meta store in {} ms, WAL in {} ms", (kvOpened - opening) / 1_000_000,
                (System.nanoTime() - kvOpened) / 1_000_000);

        roles = RoleAssembly.start(EnumSet.allOf(Role.class),
                new RoleAssembly.Settings(config, dataDir.resolve("querynode-cache"), true, Session.DEFAULT_TTL),
                new RoleAssembly.Backends(kv, wal, objects), new InProcessTransport(), SERVER_IDS::get, this);
        int metricsPort = config.getInt(Params.METRICS_PORT);
        health = metricsPort > 0 ? HealthEndpoint.start(metricsPort, this) : null;
    }

    /** The port of /healthz, or -1 when it is not served. */
    public int healthPort() {
        return health == null ? -1 : health.port();
    }

    public int port() {
        return roles.proxyPort();
    }

    /** The WAL, for tests that must append what no client can send (a message the data node cannot apply). */
    Wal wal() {
        return wal;
    }

    @Override
    public List<ComponentInfo> componentStates() {
        return roles.componentStates();
    }

    @Override
    public List<String> unhealthyReasons() {
        return roles.unhealthyReasons();
    }

    @Override
    public void close() {
        if (health != null) {
            health.close();
        }
        if (roles != null) {
            roles.close();
        }
        if (objects != null) {
            objects.close();
        }
        if (wal != null) {
            wal.close();
        }
        if (kv != null) {
            kv.close();
        }
        lock.close();
    }
}
