package io.elanus.server;

import io.elanus.common.Config;
import io.elanus.common.HealthProbe;
import io.elanus.common.ParamKey;
import io.elanus.common.Params;
import io.elanus.proto.SessionInfo;
import io.elanus.session.RoleComponent;
import io.elanus.session.ServerIds;
import io.milvus.grpc.ComponentInfo;
import io.milvus.grpc.StateCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * One role of a cluster in this process, following the seeds' start-up sequence: connect the meta
 * store (and WAL and object store), take a server ID, then let {@link RoleAssembly} find the coordinators
 * through their sessions, build the role, serve its gRPC API, init and start it, and register its session
 * so that others discover it. Closing stops it in reverse.
 */
public final class ClusterRole implements AutoCloseable, HealthProbe {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterRole.class);
    public static final String READY_MARKER = "Elanus cluster role ready";

    private final Role role;
    private final ClusterBackends backends;
    private final long serverId;
    private final GrpcTransport transport;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private RoleAssembly assembly;

    private ClusterRole(Role role, Config config, ClusterBackends backends) {
        this.role = role;
        this.backends = backends;
        this.serverId = ServerIds.next(backends.kv());
        this.transport = new GrpcTransport(backends.kv(), r -> config.getInt(portKey(r)), config.get(Params.NODE_IP));
    }

    /** Starts the role; returns once it is Healthy and registered. */
    public static ClusterRole start(Role role, Config config) throws Exception {
        ClusterBackends backends = ClusterBackends.open(config);
        ClusterRole r;
        try {
            r = new ClusterRole(role, config, backends);
        } catch (RuntimeException e) {
            backends.close();
            throw e;
        }
        try {
            r.launch(config);
        } catch (Exception | Error e) {
            r.close();
            throw e;
        }
        return r;
    }

    private void launch(Config config) throws Exception {
        Path cache = Path.of(config.get(Params.LOCAL_STORAGE_PATH)).toAbsolutePath().resolve("querynode-" + serverId);
        assembly = RoleAssembly.start(EnumSet.of(role),
                new RoleAssembly.Settings(config, cache, false, Duration.ofSeconds(config.getInt(Params.SESSION_TTL))),
                new RoleAssembly.Backends(backends.kv(), backends.wal(), backends.objects()), transport, r -> serverId, this);
        int metricsPort = config.getInt(Params.METRICS_PORT);
        if (metricsPort > 0) {
            resources.add(HealthEndpoint.start(metricsPort, this));
        }
    }

    private static ParamKey portKey(Role role) {
        return switch (role) {
            case ROOTCOORD -> Params.ROOTCOORD_PORT;
            case DATACOORD -> Params.DATACOORD_PORT;
            case QUERYCOORD -> Params.QUERYCOORD_PORT;
            case DATANODE -> Params.DATANODE_PORT;
            case QUERYNODE -> Params.QUERYNODE_PORT;
            case INDEXNODE -> Params.INDEXNODE_PORT;
            case PROXY -> Params.PROXY_INTERNAL_PORT;
        };
    }

    public long serverId() {
        return serverId;
    }

    /** Where other processes reach this role: its internal gRPC address, or the Milvus API for a proxy. */
    public String address() {
        return assembly.address(role);
    }

    /** GetComponentStates in cluster mode: this process's role, and every other live session as Healthy. */
    @Override
    public List<ComponentInfo> componentStates() {
        RoleComponent component = assembly == null ? null : assembly.role(role);
        List<ComponentInfo> out = new ArrayList<>();
        for (SessionInfo s : transport.discovery().all()) {
            StateCode state = s.getServerId() == serverId && component != null ? component.state() : StateCode.Healthy;
            out.add(ComponentInfo.newBuilder().setRole(s.getRole()).setNodeID(s.getServerId()).setStateCode(state).build());
        }
        return out;
    }

    /** This process's own health: its role's state and faults, and its backends' faults. */
    @Override
    public List<String> unhealthyReasons() {
        return assembly == null ? List.of("starting") : assembly.unhealthyReasons();
    }

    @Override
    public void close() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                LOG.warn("closing {} failed", resources.get(i), e);
            }
        }
        if (assembly != null) {
            assembly.close();
        } else {
            transport.close();
        }
        backends.close();
    }
}
