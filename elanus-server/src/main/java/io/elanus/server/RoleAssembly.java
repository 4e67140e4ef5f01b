package io.elanus.server;

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
import io.elanus.quota.WriteQuota;
import io.elanus.rootcoord.RootCoord;
import io.elanus.session.RoleComponent;
import io.elanus.storage.kv.MetaKv;
import io.elanus.storage.object.ObjectStore;
import io.elanus.storage.wal.Wal;
import io.milvus.grpc.ComponentInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * The one composition root: builds the roles this process runs, with constructor injection, from the
 * clients its {@link Transport} gives for the others; standalone, a cluster role and the loopback test
 * differ only in their transport and in which roles they run.
 *
 * <p>Three phases, each in Milvus's start order ({@link Role#START_ORDER}):
 * <ol>
 *   <li>build each role and expose it to the others (a cluster serves its gRPC API here);</li>
 *   <li>subscribe listeners: querycoord before datacoord on collection events, so that query nodes release a
 *       dropped collection before datacoord deletes its files (an order that only holds within one process);</li>
 *   <li>init, start and register each role (seed 001); querycoord learns its query nodes between init and
 *       start, datacoord its data nodes after start, as in Milvus.</li>
 * </ol>
 * Closing stops the roles in reverse order.
 */
final class RoleAssembly implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RoleAssembly.class);

    /** The shared storage every role of this process uses. */
    record Backends(MetaKv kv, Wal wal, ObjectStore objects) {
        List<String> activeFaults() {
            List<String> out = new ArrayList<>(kv.activeFaults());
            out.addAll(wal.activeFaults());
            out.addAll(objects.activeFaults());
            return out;
        }
    }

    /**
     * What the process decides rather than the transport.
     *
     * @param localDir  where a query node keeps its index cache
     * @param guardHeap memory protection of this JVM's heap (standalone): write quotas, and segments capped
     *                  at a share of the heap so that buffering and replaying them fits
     */
    record Settings(Config config, Path localDir, boolean guardHeap, Duration sessionTtl) {
    }

    private final Settings settings;
    private final Backends backends;
    private final Transport transport;
    private final Map<Role, RoleComponent> built = new EnumMap<>(Role.class);
    private final Map<Role, String> addresses = new EnumMap<>(Role.class);
    private final List<RoleComponent> started = new ArrayList<>();
    private QuotaCenter quotaCenter;

    private RoleAssembly(Settings settings, Backends backends, Transport transport) {
        this.settings = settings;
        this.backends = backends;
        this.transport = transport;
    }

    /**
     * Builds, wires and starts {@code roles}; on failure stops what started and rethrows.
     *
     * @param serverIds the server ID of each role (fixed in one process, allocated from the meta store in a cluster)
     * @param health    what the proxy reports for CheckHealth and GetComponentStates
     */
    static RoleAssembly start(Set<Role> roles, Settings settings, Backends backends, Transport transport,
                              ToLongFunction<Role> serverIds, HealthProbe health) throws Exception {
        RoleAssembly assembly = new RoleAssembly(settings, backends, transport);
        try {
            for (Role role : Role.START_ORDER) {
                if (roles.contains(role)) {
                    RoleComponent component = assembly.build(role, serverIds.applyAsLong(role), health);
                    assembly.built.put(role, component);
                    assembly.addresses.put(role, transport.expose(role, component));
                }
            }
            assembly.subscribeListeners();
            for (Role role : Role.START_ORDER) {
                if (roles.contains(role)) {
                    assembly.run(role);
                }
            }
            if (assembly.quotaCenter != null) {
                assembly.quotaCenter.start();
            }
        } catch (Exception | Error e) {
            assembly.close();
            throw e;
        }
        return assembly;
    }

    private RoleComponent build(Role role, long id, HealthProbe health) throws Exception {
        Config config = settings.config();
        MetaKv kv = backends.kv();
        return switch (role) {
            case ROOTCOORD -> new RootCoord(id, kv, config, transport.ticksAggregatedByRootCoord() ? backends.wal() : null);
            case DATACOORD -> new DataCoord(id, kv, backends.wal(), backends.objects(), config, transport.rootCoord(),
                    transport.walReaders(), settings.guardHeap()
                            ? Runtime.getRuntime().maxMemory() / QuotaCenter.SEGMENT_HEAP_DIVISOR : Long.MAX_VALUE);
            case DATANODE -> new DataNode(id, kv, backends.wal(), backends.objects(), transport.dataCoord(), transport.rootCoord());
            case INDEXNODE -> new IndexNode(id, kv, transport.dataCoord(), transport.rootCoord(), backends.objects());
            case QUERYCOORD -> new QueryCoord(id, kv, transport.rootCoord(), transport.dataCoord());
            case QUERYNODE -> new QueryNode(id, kv, backends.wal(), backends.objects(), settings.localDir());
            case PROXY -> new Proxy(id, kv, config, transport.rootCoord(), transport.dataCoord(), transport.queryCoord(),
                    backends.wal(), transport.ticksAggregatedByRootCoord()
                            ? Proxy.TimeTicks.AGGREGATED_BY_ROOTCOORD : Proxy.TimeTicks.WRITTEN_BY_PROXY,
                    health, writeQuota());
        };
    }

    /** Standalone's memory protection needs datacoord in this process: it seals the largest growing segment early. */
    private WriteQuota writeQuota() {
        if (!settings.guardHeap() || !(built.get(Role.DATACOORD) instanceof DataCoord dataCoord)) {
            return WriteQuota.NONE;
        }
        quotaCenter = new QuotaCenter(MemoryProtection.from(settings.config()), new JvmMemorySource(),
                dataCoord::sealLargestGrowingSegment);
        return quotaCenter;
    }

    private void subscribeListeners() throws InterruptedException {
        if (built.get(Role.QUERYCOORD) instanceof QueryCoord queryCoord) {
            transport.rootCoord().addCollectionListener(queryCoord);
            transport.dataCoord().addSegmentListener(queryCoord);
        }
        if (built.get(Role.DATACOORD) instanceof DataCoord dataCoord) {
            transport.rootCoord().addCollectionListener(dataCoord);
        }
    }

    private void run(Role role) throws Exception {
        RoleComponent component = built.get(role);
        component.init();
        if (component instanceof QueryCoord queryCoord) {
            transport.followQueryNodes(queryCoord);
        }
        component.start();
        started.add(component);
        if (component instanceof DataCoord dataCoord) {
            transport.followDataNodes(dataCoord);
        }
        String address = role == Role.PROXY
                ? settings.config().get(Params.NODE_IP) + ":" + ((Proxy) component).port() : addresses.get(role);
        component.advertise(address, settings.sessionTtl());
        component.register();
        LOG.info("{}-{} is {} at {}", component.roleName(), component.serverId(), component.state(), address);
    }

    /** The roles of this process in start order, started or not. */
    List<RoleComponent> roles() {
        return List.copyOf(built.values());
    }

    RoleComponent role(Role role) {
        return built.get(role);
    }

    /** The Milvus API port of the proxy of this process. */
    int proxyPort() {
        return ((Proxy) built.get(Role.PROXY)).port();
    }

    /** Where the role of this process serves (for a proxy, its Milvus API). */
    String address(Role role) {
        return role == Role.PROXY ? settings.config().get(Params.NODE_IP) + ":" + proxyPort() : addresses.get(role);
    }

    List<ComponentInfo> componentStates() {
        List<ComponentInfo> out = new ArrayList<>();
        for (RoleComponent c : started) {
            out.add(ComponentInfo.newBuilder().setRole(c.roleName()).setNodeID(c.serverId()).setStateCode(c.state()).build());
        }
        return out;
    }

    /** The roles' own faults, then the backends'. */
    List<String> unhealthyReasons() {
        List<String> out = new ArrayList<>(HealthProbe.reasonsOf(started));
        out.addAll(backends.activeFaults());
        return out;
    }

    @Override
    public void close() {
        if (quotaCenter != null) {
            quotaCenter.close();
        }
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).stop();
            } catch (Exception e) {
                LOG.warn("stopping {} failed", started.get(i).roleName(), e);
            }
        }
        transport.close();
    }
}
