package io.elanus.server;

import io.elanus.rpc.ChannelPool;
import io.elanus.rpc.RpcServer;
import io.elanus.common.Component;
import io.elanus.common.Config;
import io.elanus.common.HealthProbe;
import io.elanus.datacoord.DataCoord;
import io.elanus.rpc.datacoord.DataCoordGrpcClient;
import io.elanus.rpc.datacoord.DataCoordGrpcService;
import io.elanus.datanode.DataNode;
import io.elanus.rpc.datanode.DataNodeGrpcClient;
import io.elanus.rpc.datanode.DataNodeGrpcService;
import io.elanus.indexnode.IndexNode;
import io.elanus.proxy.Proxy;
import io.elanus.querycoord.QueryCoord;
import io.elanus.rpc.querycoord.QueryCoordGrpcClient;
import io.elanus.rpc.querycoord.QueryCoordGrpcService;
import io.elanus.querynode.QueryNode;
import io.elanus.rpc.querynode.QueryNodeGrpcClient;
import io.elanus.rpc.querynode.QueryNodeGrpcService;
import io.elanus.rootcoord.RootCoord;
import io.elanus.rpc.rootcoord.RootCoordGrpcClient;
import io.elanus.rpc.rootcoord.RootCoordGrpcService;
import io.elanus.storage.kv.EmbeddedMetaKv;
import io.elanus.storage.kv.MetaKv;
import io.elanus.storage.object.LocalObjectStore;
import io.elanus.storage.object.ObjectStore;
import io.elanus.storage.wal.EmbeddedWal;
import io.elanus.storage.wal.Wal;
import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.milvus.grpc.ComponentInfo;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The roles of {@link io.elanus.server.Standalone}, wired as a cluster would wire them: each role
 * behind its own gRPC server on loopback, and every call between roles (listener registrations
 * included) made through the gRPC clients, each role with clients of its own as a separate
 * process would have. Only the embedded backends are shared (a cluster shares etcd, Kafka and S3).
 */
final class LoopbackCluster implements AutoCloseable, HealthProbe {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
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
    private final ChannelPool channels = new ChannelPool();
    private final List<RpcServer> servers = new ArrayList<>();
    private final List<AutoCloseable> subscribers = new ArrayList<>();
    private final List<Component> started = new ArrayList<>();
    private final Proxy proxy;

    LoopbackCluster(Config config, Path dataDir) throws Exception {
        kv = EmbeddedMetaKv.open(dataDir.resolve("meta"));
        wal = EmbeddedWal.open(dataDir.resolve("wal"));
        objects = new LocalObjectStore(dataDir.resolve("objects"));

        RootCoord rootCoord = new RootCoord(ROOTCOORD_ID, kv, config);
        rootCoord.tickDmlChannelsFor(wal);
        ManagedChannel rootCoordAt = serve(new RootCoordGrpcService(rootCoord, rootCoord::addCollectionListener));

        RootCoordGrpcClient dataCoordsRootCoord = rootCoordClient(rootCoordAt);
        DataCoord dataCoord = new DataCoord(DATACOORD_ID, kv, wal, objects, config, dataCoordsRootCoord);
        ManagedChannel dataCoordAt = serve(new DataCoordGrpcService(dataCoord));

        DataNode dataNode = new DataNode(DATANODE_ID, kv, wal, objects, dataCoordClient(dataCoordAt), rootCoordClient(rootCoordAt));
        ManagedChannel dataNodeAt = serve(new DataNodeGrpcService(dataNode));

        RootCoordGrpcClient queryCoordsRootCoord = rootCoordClient(rootCoordAt);
        DataCoordGrpcClient queryCoordsDataCoord = dataCoordClient(dataCoordAt);
        QueryCoord queryCoord = new QueryCoord(QUERYCOORD_ID, kv, queryCoordsRootCoord, queryCoordsDataCoord);
        QueryNode queryNode = new QueryNode(QUERYNODE_ID, kv, wal, objects, dataDir.resolve("querynode-cache"));
        ManagedChannel queryNodeAt = serve(new QueryNodeGrpcService(queryNode));
        String queryNodeAddress = queryNodeAt.authority();
        ManagedChannel queryCoordAt = serve(new QueryCoordGrpcService(queryCoord, queryCoord,
                id -> id == QUERYNODE_ID ? queryNodeAddress : null));

        IndexNode indexNode = new IndexNode(INDEXNODE_ID, kv, dataCoordClient(dataCoordAt), rootCoordClient(rootCoordAt), objects);

        // Registrations in Standalone's order: query nodes release a dropped collection before datacoord deletes its files.
        queryCoordsRootCoord.addCollectionListener(queryCoord);
        dataCoordsRootCoord.addCollectionListener(dataCoord);
        dataCoord.registerDataNode(new DataNodeGrpcClient(DATANODE_ID, dataNodeAt, DEADLINE));
        queryCoordsDataCoord.addSegmentListener(queryCoord);
        dataCoord.setWalReaders(new QueryCoordGrpcClient(queryCoordAt, channels, DEADLINE));
        dataCoord.indexNodesChanged(Set.of(INDEXNODE_ID));
        queryCoord.registerQueryNode(new QueryNodeGrpcClient(QUERYNODE_ID, queryNodeAt, DEADLINE));
        proxy = new Proxy(PROXY_ID, kv, config, rootCoordClient(rootCoordAt), dataCoordClient(dataCoordAt),
                new QueryCoordGrpcClient(queryCoordAt, channels, DEADLINE), wal, Proxy.TimeTicks.AGGREGATED_BY_ROOTCOORD,
                this);

        for (Component c : List.of(rootCoord, dataCoord, dataNode, indexNode, queryCoord, queryNode, proxy)) {
            c.init();
            c.start();
            c.register();
            started.add(c);
        }
    }

    /** The Milvus API port of the proxy. */
    int port() {
        return proxy.port();
    }

    private ManagedChannel serve(BindableService service) throws IOException {
        RpcServer server = RpcServer.start(0, List.of(service));
        servers.add(server);
        return channels.channel("localhost:" + server.port());
    }

    private RootCoordGrpcClient rootCoordClient(ManagedChannel channel) {
        RootCoordGrpcClient client = new RootCoordGrpcClient(channel, DEADLINE);
        subscribers.add(client);
        return client;
    }

    private DataCoordGrpcClient dataCoordClient(ManagedChannel channel) {
        DataCoordGrpcClient client = new DataCoordGrpcClient(channel, DEADLINE);
        subscribers.add(client);
        return client;
    }

    @Override
    public List<String> unhealthyReasons() {
        return HealthProbe.reasonsOf(started);
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
    public void close() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).stop();
        }
        for (AutoCloseable s : subscribers) {
            s.close();
        }
        servers.forEach(RpcServer::close);
        channels.close();
        objects.close();
        wal.close();
        kv.close();
    }
}
