package io.elanus.server;

import io.elanus.session.ServerIds;
import io.elanus.session.ServiceDiscovery;

import io.elanus.rpc.ChannelPool;
import io.elanus.rpc.RpcServer;
import io.elanus.common.Component;
import io.elanus.common.Config;
import io.elanus.common.HealthProbe;
import io.elanus.common.Params;
import io.elanus.session.RoleComponent;
import io.elanus.common.StartupException;
import io.elanus.common.StartupFailure;
import io.elanus.datacoord.DataCoord;
import io.elanus.rpc.datacoord.DataCoordGrpcClient;
import io.elanus.rpc.datacoord.DataCoordGrpcService;
import io.elanus.datacoord.DataNodeMembership;
import io.elanus.datacoord.IndexNodeMembership;
import io.elanus.datanode.DataNode;
import io.elanus.rpc.datanode.DataNodeGrpcClient;
import io.elanus.rpc.datanode.DataNodeGrpcService;
import io.elanus.indexnode.IndexNode;
import io.elanus.proto.SessionInfo;
import io.elanus.proxy.Proxy;
import io.elanus.querycoord.QueryCoord;
import io.elanus.rpc.querycoord.QueryCoordGrpcClient;
import io.elanus.rpc.querycoord.QueryCoordGrpcService;
import io.elanus.querycoord.QueryNodeMembership;
import io.elanus.querynode.QueryNode;
import io.elanus.rpc.querynode.QueryNodeGrpcClient;
import io.elanus.rpc.querynode.QueryNodeGrpcService;
import io.elanus.rootcoord.RootCoord;
import io.elanus.rpc.rootcoord.RootCoordGrpcClient;
import io.elanus.rpc.rootcoord.RootCoordGrpcService;
import io.elanus.server.HealthEndpoint;
import io.grpc.BindableService;
import io.milvus.grpc.ComponentInfo;
import io.milvus.grpc.StateCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One role of a cluster in this process, following the seeds' start-up sequence: connect the meta
 * store (and WAL and object store), take a server ID, start the gRPC server, find the coordinators
 * through their sessions, build the role and its listeners, init and start it, then register its
 * session so that others discover it. Closing stops it in reverse.
 */
public final class ClusterRole implements AutoCloseable, HealthProbe {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterRole.class);
    public static final String READY_MARKER = "Elanus cluster role ready";
    /** How long a role waits at start for the coordinators it needs to register. */
    private static final Duration COORDINATOR_WAIT = Duration.ofSeconds(120);
    /** Deadline of a call to another role; long enough for a query node to load a channel's segments. */
    private static final Duration CALL_DEADLINE = Duration.ofSeconds(120);

    /** The roles a process can run. */
    public enum Role {
        ROOTCOORD, DATACOORD, QUERYCOORD, DATANODE, QUERYNODE, INDEXNODE, PROXY;

        public String roleName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Role parse(String name) {
            for (Role r : values()) {
                if (r.roleName().equalsIgnoreCase(name)) {
                    return r;
                }
            }
            throw new IllegalArgumentException("unknown role '" + name + "'; one of rootcoord, datacoord, querycoord, datanode, querynode, indexnode, proxy");
        }
    }

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Config config;
    private final ClusterBackends backends;
    private final ChannelPool peers = new ChannelPool();
    private final long serverId;
    private ServiceDiscovery discovery;
    private RoleComponent component;
    private RpcServer rpc;
    private String address;

    private ClusterRole(Config config, ClusterBackends backends) {
        this.config = config;
        this.backends = backends;
        this.serverId = ServerIds.next(backends.kv());
    }

    /** Starts the role; returns once it is Healthy and registered. */
    public static ClusterRole start(Role role, Config config) throws Exception {
        ClusterBackends backends = ClusterBackends.open(config);
        ClusterRole r = new ClusterRole(config, backends);
        try {
            r.launch(role);
        } catch (Exception | Error e) {
            r.close();
            throw e;
        }
        return r;
    }

    public long serverId() {
        return serverId;
    }

    /** Where other processes reach this role: its internal gRPC address, or the Milvus API for a proxy. */
    public String address() {
        return address;
    }

    private void launch(Role role) throws Exception {
        discovery = ServiceDiscovery.start(backends.kv());
        switch (role) {
            case ROOTCOORD -> startRootCoord();
            case DATACOORD -> startDataCoord();
            case QUERYCOORD -> startQueryCoord();
            case DATANODE -> startDataNode();
            case QUERYNODE -> startQueryNode();
            case INDEXNODE -> startIndexNode();
            case PROXY -> startProxy();
        }
        int metricsPort = config.getInt(Params.METRICS_PORT);
        if (metricsPort > 0) {
            resources.add(HealthEndpoint.start(metricsPort, this));
        }
        LOG.info("{}-{} is {} at {}", component.roleName(), serverId, component.state(), address);
    }

    private void startRootCoord() throws Exception {
        RootCoord rc = new RootCoord(serverId, backends.kv(), config);
        rc.tickDmlChannelsFor(backends.wal());
        serve(config.getInt(Params.ROOTCOORD_PORT), new RootCoordGrpcService(rc, rc::addCollectionListener));
        follow(new ServiceDiscovery.Listener() {
            @Override
            public void sessionAdded(SessionInfo session) {
            }

            @Override
            public void sessionRemoved(SessionInfo session) {
                if (session.getRole().equals("proxy")) {
                    rc.proxyGone(session.getServerId());
                }
            }
        });
        run(rc);
    }

    private void startDataCoord() throws Exception {
        RootCoordGrpcClient rootCoord = rootCoord();
        DataCoord dc = new DataCoord(serverId, backends.kv(), backends.wal(), backends.objects(), config, rootCoord);
        rootCoord.addCollectionListener(dc);
        // WAL truncation asks querycoord how far its query nodes still read; without one, nothing is dropped.
        dc.setWalReaders(pchannel -> discovery.sessions("querycoord").stream().findFirst()
                .map(s -> new QueryCoordGrpcClient(peers.channel(s.getAddress()), peers, CALL_DEADLINE).minReaderOffset(pchannel))
                .orElse(0L));
        serve(config.getInt(Params.DATACOORD_PORT), new DataCoordGrpcService(dc));
        dc.init();
        dc.start();
        follow(new DataNodeMembership(dc,
                s -> new DataNodeGrpcClient(s.getServerId(), peers.channel(s.getAddress()), CALL_DEADLINE),
                discovery::all));
        follow(new IndexNodeMembership(dc, discovery::all));
        register(dc);
    }

    private void startQueryCoord() throws Exception {
        RootCoordGrpcClient rootCoord = rootCoord();
        DataCoordGrpcClient dataCoord = dataCoord();
        QueryCoord qc = new QueryCoord(serverId, backends.kv(), rootCoord, dataCoord);
        rootCoord.addCollectionListener(qc);
        dataCoord.addSegmentListener(qc);
        serve(config.getInt(Params.QUERYCOORD_PORT), new QueryCoordGrpcService(qc, qc, this::queryNodeAddress));
        qc.init();
        follow(new QueryNodeMembership(qc,
                s -> new QueryNodeGrpcClient(s.getServerId(), peers.channel(s.getAddress()), CALL_DEADLINE)));
        qc.start();
        register(qc);
    }

    private void startDataNode() throws Exception {
        DataNode dn = new DataNode(serverId, backends.kv(), backends.wal(), backends.objects(), dataCoord(), rootCoord());
        serve(config.getInt(Params.DATANODE_PORT), new DataNodeGrpcService(dn));
        run(dn);
    }

    private void startQueryNode() throws Exception {
        Path cache = Path.of(config.get(Params.LOCAL_STORAGE_PATH)).toAbsolutePath().resolve("querynode-" + serverId);
        QueryNode qn = new QueryNode(serverId, backends.kv(), backends.wal(), backends.objects(), cache);
        serve(config.getInt(Params.QUERYNODE_PORT), new QueryNodeGrpcService(qn));
        run(qn);
    }

    private void startIndexNode() throws Exception {
        IndexNode in = new IndexNode(serverId, backends.kv(), dataCoord(), rootCoord(), backends.objects());
        serve(config.getInt(Params.INDEXNODE_PORT));
        run(in);
    }

    private void startProxy() throws Exception {
        Proxy p = new Proxy(serverId, backends.kv(), config, rootCoord(), dataCoord(), queryCoord(), backends.wal(),
                Proxy.TimeTicks.AGGREGATED_BY_ROOTCOORD, this);
        component = p;
        p.init();
        p.start();
        address = config.get(Params.NODE_IP) + ":" + p.port();
        register(p);
    }

    private void serve(int port, BindableService... services) throws Exception {
        try {
            rpc = RpcServer.start(port, List.of(services));
        } catch (java.io.IOException e) {
            throw new StartupException("cannot serve the internal gRPC API on port " + port + ": " + StartupFailure.describe(e), e);
        }
        address = config.get(Params.NODE_IP) + ":" + rpc.port();
    }

    private void follow(ServiceDiscovery.Listener listener) {
        discovery.addListener(listener);
    }

    private void run(RoleComponent role) throws Exception {
        role.init();
        role.start();
        register(role);
    }

    private void register(RoleComponent role) {
        component = role;
        role.advertise(address, Duration.ofSeconds(config.getInt(Params.SESSION_TTL)));
        role.register();
    }

    private RootCoordGrpcClient rootCoord() throws InterruptedException {
        return new RootCoordGrpcClient(peers.channel(coordinator("rootcoord")), CALL_DEADLINE);
    }

    private DataCoordGrpcClient dataCoord() throws InterruptedException {
        return new DataCoordGrpcClient(peers.channel(coordinator("datacoord")), CALL_DEADLINE);
    }

    private QueryCoordGrpcClient queryCoord() throws InterruptedException {
        return new QueryCoordGrpcClient(peers.channel(coordinator("querycoord")), peers, CALL_DEADLINE);
    }

    /** Where the query node with this server ID serves (proxies reach shard leaders there); null if it is gone. */
    private String queryNodeAddress(long nodeId) {
        return discovery.sessions("querynode").stream().filter(s -> s.getServerId() == nodeId)
                .map(SessionInfo::getAddress).findFirst().orElse(null);
    }

    private String coordinator(String role) throws InterruptedException {
        Optional<SessionInfo> s = discovery.await(role, COORDINATOR_WAIT);
        return s.orElseThrow(() -> new IllegalStateException("no " + role + " registered within "
                + COORDINATOR_WAIT.toSeconds() + " s; start it first")).getAddress();
    }

    /** GetComponentStates in cluster mode: this process's role, and every other live session as Healthy. */
    @Override
    public List<ComponentInfo> componentStates() {
        List<ComponentInfo> out = new ArrayList<>();
        for (SessionInfo s : discovery.all()) {
            StateCode state = s.getServerId() == serverId && component != null ? component.state() : StateCode.Healthy;
            out.add(ComponentInfo.newBuilder().setRole(s.getRole()).setNodeID(s.getServerId()).setStateCode(state).build());
        }
        return out;
    }

    /** This process's own health: its role's state and faults, and its backends' faults. */
    @Override
    public List<String> unhealthyReasons() {
        List<String> out = new ArrayList<>(component == null ? List.of() : HealthProbe.reasonsOf(List.of(component)));
        out.addAll(backends.kv().activeFaults());
        out.addAll(backends.wal().activeFaults());
        out.addAll(backends.objects().activeFaults());
        return out;
    }

    @Override
    public void close() {
        if (component != null) {
            stopQuietly(component);
        }
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                LOG.warn("closing {} failed", resources.get(i), e);
            }
        }
        if (rpc != null) {
            rpc.close();
        }
        if (discovery != null) {
            discovery.close();
        }
        peers.close();
        backends.close();
    }

    private static void stopQuietly(Component c) {
        try {
            c.stop();
        } catch (Exception e) {
            LOG.warn("stopping {} failed", c.roleName(), e);
        }
    }
}
