package io.elanus.proxy;

import io.elanus.session.RoleComponent;
import io.elanus.common.Config;
import io.elanus.common.HealthProbe;
import io.elanus.common.NamedThreads;
import io.elanus.common.Params;
import io.elanus.common.StartupException;
import io.elanus.api.DataCoordClient;
import io.elanus.proto.CollectionInfo;
import io.elanus.proto.DatabaseInfo;
import io.elanus.quota.WriteQuota;
import io.elanus.api.QueryCoordClient;
import io.elanus.api.RootCoordClient;
import io.elanus.storage.kv.MetaKv;
import io.elanus.storage.wal.Wal;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.milvus.grpc.StateCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The proxy: serves the Milvus gRPC API, schedules tasks, writes DML to the WAL and sends the
 * time ticks. Talks to the other roles only through their client interfaces, and keeps what it reads
 * of them in its {@link MetaCache}.
 */
public final class Proxy extends RoleComponent {
    private static final Logger LOG = LoggerFactory.getLogger(Proxy.class);
    /** Who writes the DML channels' time ticks: the proxy itself (standalone) or rootcoord from every proxy's reports (cluster). */
    public enum TimeTicks { WRITTEN_BY_PROXY, AGGREGATED_BY_ROOTCOORD }

    private final long nodeId;
    private final TimeTicks tickMode;
    private final Config config;
    private final RootCoordClient rootCoord;
    private final DataCoordClient dataCoord;
    private final QueryCoordClient queryCoord;
    private final Wal wal;
    private final HealthProbe health;
    private final WriteQuota writeQuota;
    private TaskScheduler scheduler;
    private TimeTickSender timeTicks;
    private ShardFanOut shards;
    private ThreadPoolExecutor requestThreads;
    private Server server;

    public Proxy(long nodeId, MetaKv kv, Config config, RootCoordClient rootCoord, DataCoordClient dataCoord,
                 QueryCoordClient queryCoord, Wal wal, TimeTicks tickMode, HealthProbe health, WriteQuota writeQuota) {
        super(kv, nodeId);
        this.writeQuota = writeQuota;
        this.tickMode = tickMode;
        this.nodeId = nodeId;
        this.config = config;
        this.rootCoord = rootCoord;
        this.dataCoord = dataCoord;
        this.queryCoord = queryCoord;
        this.wal = wal;
        this.health = health;
    }

    @Override
    public String roleName() {
        return "proxy";
    }

    /** The quota that may refuse writes (memory protection); call before {@link #init()}. Default: none. */

    @Override
    public void init() {
        state(StateCode.Initializing);
        int maxTaskNum = config.getInt(Params.PROXY_MAX_TASK_NUM);
        scheduler = new TaskScheduler(rootCoord, maxTaskNum);
        MetaCache meta = new MetaCache(rootCoord, dataCoord, queryCoord);
        meta.subscribe();
        MetaExpiry expiry = new MetaExpiry(meta, rootCoord);
        shards = new ShardFanOut(meta, 2 * scheduler.dqlWidth());
        DdlHandler ddl = new DdlHandler(rootCoord, dataCoord, queryCoord, expiry, config);
        timeTicks = new TimeTickSender(scheduler, tickMode == TimeTicks.WRITTEN_BY_PROXY
                ? TimeTickSender.toWal(wal, this::dmlChannelsInUse, nodeId)
                : TimeTickSender.toRootCoord(rootCoord, nodeId));
        QueryHandler query = new QueryHandler(rootCoord, meta, shards, config, timeTicks::tickFor);
        DmlHandler dml = new DmlHandler(rootCoord, meta, dataCoord, wal, query, config.get(Params.DEFAULT_PARTITION_NAME), nodeId);
        SearchHandler search = new SearchHandler(rootCoord, meta, shards, config, timeTicks::tickFor);
        IndexHandler indexes = new IndexHandler(rootCoord, dataCoord, queryCoord, expiry);
        LoadFlushHandler loads = new LoadFlushHandler(rootCoord, dataCoord, queryCoord, indexes, expiry);
        MilvusServiceImpl service = new MilvusServiceImpl(scheduler, rootCoord, ddl, dml, search, query, indexes, loads, health,
                writeQuota);
        requestThreads = requestThreads(scheduler.width(), 3 * maxTaskNum);
        server = NettyServerBuilder.forAddress(new InetSocketAddress(config.getInt(Params.PROXY_PORT)))
                .executor(requestThreads)
                .maxInboundMessageSize(config.getInt(Params.GRPC_SERVER_MAX_RECV_SIZE))
                // The Milvus SDKs ping frequently to keep idle channels alive; accept it like Milvus does.
                .permitKeepAliveTime(1, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true)
                .addService(ServerInterceptors.intercept(UndecodableRequests.guard(service.bindService()), new RequestContext()))
                .build();
    }

    /**
     * The threads that run the Milvus API's calls (gRPC's default would be an unbounded pool). Scheduled
     * tasks run on them ({@link TaskQueue}), at most {@code tasks} at once; the other threads keep answering
     * the calls that are no task (describe, load state, health) and refusing tasks whose queue is full. The
     * queue holds calls waiting for a thread; should it fill up, gRPC resets the new calls' streams.
     */
    private static ThreadPoolExecutor requestThreads(int tasks, int queue) {
        int threads = tasks + Math.max(8, 2 * Runtime.getRuntime().availableProcessors());
        ThrottledLog full = new ThrottledLog(LOG, TimeUnit.MINUTES.toNanos(1), System::nanoTime);
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue),
                NamedThreads.daemon("proxy-grpc"), (call, executor) -> {
                    full.warn("the proxy's " + threads + " request threads and " + queue + " waiting calls are all taken; refusing calls");
                    throw new RejectedExecutionException("proxy request threads exhausted");
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private Set<String> dmlChannelsInUse() {
        Set<String> out = new HashSet<>();
        for (DatabaseInfo db : rootCoord.listDatabases()) {
            for (CollectionInfo c : rootCoord.listCollections(db.getName())) {
                out.addAll(c.getPchannelsList());
            }
        }
        return out;
    }

    @Override
    public void start() throws IOException {
        // The first tick goes out before serving: rootcoord then knows this proxy before any of its DML exists.
        timeTicks.tickOrFail();
        timeTicks.start(config.getLong(Params.PROXY_TIME_TICK_INTERVAL));
        try {
            server.start();
        } catch (IOException e) {
            // Not started, so never stopped: end the ticks here, or an in-process caller would keep their thread.
            timeTicks.close();
            int port = config.getInt(Params.PROXY_PORT);
            throw isBindFailure(e)
                    ? new StartupException("cannot serve the Milvus gRPC API on port " + port + ": address already in use"
                    + " (another server running? choose another with --port or proxy.port)", e)
                    : new StartupException("cannot serve the Milvus gRPC API on port " + port + ": " + e.getMessage(), e);
        }
        state(StateCode.Healthy);
    }


    /** A port already taken: java.net's BindException, or Netty's native-transport error of the same errno. */
    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
                return true;
            }
        }
        return false;
    }

    public int port() {
        return server.getPort();
    }

    @Override
    public void stop() {
        unregister();
        if (server != null) {
            server.shutdown();
            try {
                server.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server.shutdownNow();
        }
        if (requestThreads != null) {
            requestThreads.shutdownNow();
        }
        if (shards != null) {
            shards.close();
        }
        if (timeTicks != null) {
            timeTicks.close();
        }
    }

}
