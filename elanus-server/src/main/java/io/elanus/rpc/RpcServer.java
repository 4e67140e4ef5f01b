package io.elanus.rpc;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A gRPC server hosting the services of the roles of one process on one port (0: any free port). */
public final class RpcServer implements AutoCloseable {
    /** Shard results with output vectors and segment lists of large collections are big; Milvus allows 256 MiB internally too. */
    public static final int MAX_MESSAGE_BYTES = 256 << 20;
    /** Pings the subscribers of listener streams, so a dead one is dropped instead of stalling publishers. */
    private static final long KEEPALIVE_SECONDS = 10;

    private final Server server;

    private RpcServer(Server server) {
        this.server = server;
    }

    public static RpcServer start(int port, List<BindableService> services) throws IOException {
        NettyServerBuilder b = NettyServerBuilder.forPort(port)
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .keepAliveTime(KEEPALIVE_SECONDS, TimeUnit.SECONDS)
                .keepAliveTimeout(KEEPALIVE_SECONDS, TimeUnit.SECONDS)
                .permitKeepAliveTime(KEEPALIVE_SECONDS, TimeUnit.SECONDS);
        services.forEach(b::addService);
        return new RpcServer(b.build().start());
    }

    public int port() {
        return server.getPort();
    }

    /** Lets calls in flight finish for a moment, then cancels the rest (listener streams never finish by themselves). */
    @Override
    public void close() {
        server.shutdown();
        try {
            if (!server.awaitTermination(2, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
        }
    }
}
