package io.elanus.server;

import io.elanus.common.Component;
import io.elanus.common.Config;
import io.elanus.common.HealthProbe;
import io.elanus.common.Params;
import io.elanus.datacoord.DataCoord;
import io.elanus.datanode.DataNode;
import io.elanus.indexnode.IndexNode;
import io.elanus.proxy.Proxy;
import io.elanus.querycoord.QueryCoord;
import io.elanus.querynode.QueryNode;
import io.elanus.quota.JvmMemorySource;
import io.elanus.quota.MemoryProtection;
import io.elanus.quota.QuotaCenter;
import io.elanus.rootcoord.RootCoord;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Every role in one JVM on the embedded backends (meta KV, WAL and object store under the data
 * directory), wired through their in-process client interfaces. Start order follows Milvus's
 * standalone: rootcoord, datacoord, datanode, indexnode, querycoord, querynode, proxy (init, start, register
 * for each); stop runs in reverse.
 */
public final class Standalone implements AutoCloseable, HealthProbe {
    private static final Logger LOG = LoggerFactory.getLogger(Standalone.class);
    // Server IDs of the roles in this process (each role registers a session under its ID).
    private static final long ROOTCOORD_ID = 1;
    private static final long DATACOORD_ID = 2;
    private static final long QUERYCOORD_ID = 3;
    private static final long DATANODE_ID = 4;
    private static final long QUERYNODE_ID = 5;
    private static final long INDEXNODE_ID = 6;
    private static final long PROXY_ID = 7;

    private final DataDirLock lock;
    private MetaKv kv;
    private Wal wal;
    private ObjectStore objects;
    private final List<Component> started = new ArrayList<>();
    private Proxy proxy;
    private QuotaCenter quotaCenter;
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
        MemoryProtection memoryProtection = MemoryProtection.from(config);
        long opening = System.nanoTime();
        kv = EmbeddedMetaKv.open(dataDir.resolve("meta"));
        long kvOpened = System.nanoTime();
        wal = EmbeddedWal.open(dataDir.resolve("wal"));
        objects = new LocalObjectStore(dataDir.resolve("objects"));
        LOG.info("embedded storage opened: meta store in {} ms, WAL in {} ms", (kvOpened - opening) / 1_000_000,
                (System.nanoTime() - kvOpened) / 1_000_000);

        RootCoord rootCoord = new RootCoord(ROOTCOORD_ID, kv, config);
        DataCoord dataCoord = new DataCoord(DATACOORD_ID, kv, wal, objects, config, rootCoord);
        DataNode dataNode = new DataNode(DATANODE_ID, kv, wal, objects, dataCoord, rootCoord);
        QueryCoord queryCoord = new QueryCoord(QUERYCOORD_ID, kv, rootCoord, dataCoord);
        QueryNode queryNode = new QueryNode(QUERYNODE_ID, kv, wal, objects, dataDir.resolve("querynode-cache"));
        IndexNode indexNode = new IndexNode(INDEXNODE_ID, kv, dataCoord, rootCoord, objects);
        // Query nodes release a dropped collection before datacoord deletes its files.
        rootCoord.addCollectionListener(queryCoord);
        rootCoord.addCollectionListener(dataCoord);
        dataCoord.registerDataNode(dataNode);
        dataCoord.addSegmentListener(queryCoord);
        dataCoord.setWalReaders(queryCoord);
        dataCoord.indexNodesChanged(Set.of(INDEXNODE_ID));
        queryCoord.registerQueryNode(queryNode);
        proxy = new Proxy(PROXY_ID, kv, config, rootCoord, dataCoord, queryCoord, wal, Proxy.TimeTicks.WRITTEN_BY_PROXY,
                this);
        dataCoord.capSegmentSize(Runtime.getRuntime().maxMemory() / QuotaCenter.SEGMENT_HEAP_DIVISOR);
        quotaCenter = new QuotaCenter(memoryProtection, new JvmMemorySource(), dataCoord::sealLargestGrowingSegment);
        proxy.useWriteQuota(quotaCenter);

        for (Component c : List.of(rootCoord, dataCoord, dataNode, indexNode, queryCoord, queryNode, proxy)) {
            c.init();
            c.start();
            c.register();
            started.add(c);
            LOG.info("{} is {}", c.roleName(), c.state());
        }
        quotaCenter.start();
        int metricsPort = config.getInt(Params.METRICS_PORT);
        health = metricsPort > 0 ? HealthEndpoint.start(metricsPort, this) : null;
    }

    /** The port of /healthz, or -1 when it is not served. */
    public int healthPort() {
        return health == null ? -1 : health.port();
    }

    public int port() {
        return proxy.port();
    }

    /** The WAL, for tests that must append what no client can send (a message the data node cannot apply). */
    Wal wal() {
        return wal;
    }

    @Override
    public List<ComponentInfo> componentStates() {
        List<ComponentInfo> out = new ArrayList<>();
        for (Component c : started) {
            out.add(ComponentInfo.newBuilder().setRole(c.roleName()).setStateCode(c.state()).build());
        }
        return out;
    }

    @Override
    public List<String> unhealthyReasons() {
        List<String> out = new ArrayList<>(HealthProbe.reasonsOf(started));
        out.addAll(kv.activeFaults());
        out.addAll(wal.activeFaults());
        out.addAll(objects.activeFaults());
        return out;
    }

    @Override
    public void close() {
        if (health != null) {
            health.close();
        }
        if (quotaCenter != null) {
            quotaCenter.close();
        }
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).stop();
            } catch (RuntimeException e) {
                LOG.warn("stopping {} failed", started.get(i).roleName(), e);
            }
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
