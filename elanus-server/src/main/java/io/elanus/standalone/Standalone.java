package io.elanus.standalone;

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

    private final MetaKv kv;
    private final Wal wal;
    private final ObjectStore objects;
    private final List<Component> started = new ArrayList<>();
    private final Proxy proxy;
    private final HealthEndpoint health;

    public Standalone(Config config, Path dataDir) throws Exception {
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
        dataCoord.addSegmentListener(indexNode);
        queryCoord.registerQueryNode(queryNode);
        proxy = new Proxy(PROXY_ID, kv, config, rootCoord, dataCoord, queryCoord, wal, Proxy.TimeTicks.WRITTEN_BY_PROXY,
                this);

        for (Component c : List.of(rootCoord, dataCoord, dataNode, indexNode, queryCoord, queryNode, proxy)) {
            c.init();
            c.start();
            c.register();
            started.add(c);
            LOG.info("{} is {}", c.roleName(), c.state());
        }
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
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).stop();
            } catch (RuntimeException e) {
                LOG.warn("stopping {} failed", started.get(i).roleName(), e);
            }
        }
        objects.close();
        wal.close();
        kv.close();
    }
}
