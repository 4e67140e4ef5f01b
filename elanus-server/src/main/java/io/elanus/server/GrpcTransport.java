package io.elanus.server;

import io.elanus.api.DataCoordClient;
import io.elanus.api.QueryCoordClient;
import io.elanus.api.RootCoordClient;
import io.elanus.api.WalReaders;
import io.elanus.common.StartupException;
import io.elanus.common.StartupFailure;
import io.elanus.datacoord.DataCoord;
import io.elanus.datacoord.DataNodeMembership;
import io.elanus.datacoord.IndexNodeMembership;
import io.elanus.datanode.DataNode;
import io.elanus.proto.SessionInfo;
import io.elanus.querycoord.QueryCoord;
import io.elanus.querycoord.QueryNodeMembership;
import io.elanus.querynode.QueryNode;
import io.elanus.rootcoord.RootCoord;
import io.elanus.rpc.ChannelPool;
import io.elanus.rpc.RpcServer;
import io.elanus.rpc.datacoord.DataCoordGrpcClient;
import io.elanus.rpc.datacoord.DataCoordGrpcService;
import io.elanus.rpc.datanode.DataNodeGrpcClient;
import io.elanus.rpc.datanode.DataNodeGrpcService;
import io.elanus.rpc.querycoord.QueryCoordGrpcClient;
import io.elanus.rpc.querycoord.QueryCoordGrpcService;
import io.elanus.rpc.querynode.QueryNodeGrpcClient;
import io.elanus.rpc.querynode.QueryNodeGrpcService;
import io.elanus.rpc.rootcoord.RootCoordGrpcClient;
import io.elanus.rpc.rootcoord.RootCoordGrpcService;
import io.elanus.session.RoleComponent;
import io.elanus.session.ServiceDiscovery;
import io.elanus.storage.kv.MetaKv;
import io.grpc.BindableService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Roles reach each other over gRPC and find each other through their sessions in the meta store, as in a
 * Milvus cluster: each role built here serves its API on its own port, a coordinator is found by its session
 * (or, when it runs in this process, at its own server), and coordinators learn their nodes from the
 * sessions that come and go. The loopback test runs every role this way in one process.
 *
 * <p>Only the assembly thread calls it (while it builds and starts the roles, then to close it), except the
 * WAL-reader and query-node-address lookups, which read the thread-safe discovery.
 */
final class GrpcTransport implements Transport {
    private static final Logger LOG = LoggerFactory.getLogger(GrpcTransport.class);
    /** How long a role waits at start for the coordinators it needs to register. */
    private static final Duration COORDINATOR_WAIT = Duration.ofSeconds(120);
    /** Deadline of a call to another role; long enough for a query node to load a channel's segments. */
    static final Duration CALL_DEADLINE = Duration.ofSeconds(120);

    private final ServiceDiscovery discovery;
    private final ToIntFunction<Role> ports;
    private final String host;
    private final ChannelPool peers = new ChannelPool();
    private final List<RpcServer> servers = new ArrayList<>();
    private final List<AutoCloseable> clients = new ArrayList<>();
    /** Coordinators served by this process, reached at their own server rather than through discovery. */
    private final Map<Role, String> local = new EnumMap<>(Role.class);

    /**
     * @param ports the port each role serves on (0: any free port)
     * @param host  the host other processes reach this one at ({@code common} {@code node.ip})
     */
    GrpcTransport(MetaKv kv, ToIntFunction<Role> ports, String host) {
        this.discovery = ServiceDiscovery.start(kv);
        this.ports = ports;
        this.host = host;
    }

    ServiceDiscovery discovery() {
        return discovery;
    }

    @Override
    public RootCoordClient rootCoord() throws InterruptedException {
        return track(new RootCoordGrpcClient(peers.channel(coordinator(Role.ROOTCOORD)), CALL_DEADLINE));
    }

    @Override
    public DataCoordClient dataCoord() throws InterruptedException {
        return track(new DataCoordGrpcClient(peers.channel(coordinator(Role.DATACOORD)), CALL_DEADLINE));
    }

    @Override
    public QueryCoordClient queryCoord() throws InterruptedException {
        return new QueryCoordGrpcClient(peers.channel(coordinator(Role.QUERYCOORD)), peers, CALL_DEADLINE);
    }

    /** Asks the querycoord registered now; without one, nothing may be truncated. */
    @Override
    public WalReaders walReaders() {
        return pchannel -> discovery.sessions(Role.QUERYCOORD.roleName()).stream().findFirst()
                .map(s -> new QueryCoordGrpcClient(peers.channel(s.getAddress()), peers, CALL_DEADLINE).minReaderOffset(pchannel))
                .orElse(0L);
    }

    @Override
    public String expose(Role role, RoleComponent component) throws StartupException {
        List<BindableService> services = switch (role) {
            case ROOTCOORD -> {
                RootCoord rootCoord = (RootCoord) component;
                discovery.addListener(new ServiceDiscovery.Listener() {
                    @Override
                    public void sessionAdded(SessionInfo session) {
                    }

                    @Override
                    public void sessionRemoved(SessionInfo session) {
                        if (session.getRole().equals(Role.PROXY.roleName())) {
                            rootCoord.proxyGone(session.getServerId());
                        }
                    }
                });
                yield List.of(new RootCoordGrpcService(rootCoord));
            }
            case DATACOORD -> List.of(new DataCoordGrpcService((DataCoord) component));
            case QUERYCOORD -> List.of(new QueryCoordGrpcService((QueryCoord) component, (QueryCoord) component,
                    this::queryNodeAddress));
            case DATANODE -> List.of(new DataNodeGrpcService((DataNode) component));
            case QUERYNODE -> List.of(new QueryNodeGrpcService((QueryNode) component));
            // An index node takes its work from datacoord's events; its server only carries its session's address.
            case INDEXNODE -> List.of();
            // The proxy serves the Milvus API itself.
            case PROXY -> null;
        };
        if (services == null) {
            return null;
        }
        int port = ports.applyAsInt(role);
        RpcServer server;
        try {
            server = RpcServer.start(port, services);
        } catch (IOException e) {
            throw new StartupException("cannot serve the internal gRPC API on port " + port + ": " + StartupFailure.describe(e), e);
        }
        servers.add(server);
        String address = host + ":" + server.port();
        local.put(role, address);
        return address;
    }

    @Override
    public void followDataNodes(DataCoord dataCoord) {
        discovery.addListener(new DataNodeMembership(dataCoord,
                s -> new DataNodeGrpcClient(s.getServerId(), peers.channel(s.getAddress()), CALL_DEADLINE), discovery::all));
        discovery.addListener(new IndexNodeMembership(dataCoord, discovery::all));
    }

    @Override
    public void followQueryNodes(QueryCoord queryCoord) {
        discovery.addListener(new QueryNodeMembership(queryCoord,
                s -> new QueryNodeGrpcClient(s.getServerId(), peers.channel(s.getAddress()), CALL_DEADLINE)));
    }

    @Override
    public boolean ticksAggregatedByRootCoord() {
        return true;
    }

    /** Where the query node with this server ID serves (proxies reach shard leaders there); null if it is gone. */
    private String queryNodeAddress(long nodeId) {
        return discovery.sessions(Role.QUERYNODE.roleName()).stream().filter(s -> s.getServerId() == nodeId)
                .map(SessionInfo::getAddress).findFirst().orElse(null);
    }

    private String coordinator(Role role) throws InterruptedException {
        String here = local.get(role);
        if (here != null) {
            return here;
        }
        return discovery.await(role.roleName(), COORDINATOR_WAIT).orElseThrow(() -> new IllegalStateException("no "
                + role.roleName() + " registered within " + COORDINATOR_WAIT.toSeconds() + " s; start it first")).getAddress();
    }

    private <T extends AutoCloseable> T track(T client) {
        clients.add(client);
        return client;
    }

    @Override
    public void close() {
        for (AutoCloseable c : clients) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed", c, e);
            }
        }
        servers.forEach(RpcServer::close);
        discovery.close();
        peers.close();
    }
}
