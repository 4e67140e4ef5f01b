package io.elanus.rpc;

import io.elanus.common.NamedThreads;
import io.grpc.BindableService;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC server hosting the services of the roles of one process on one port (0: any free port).
 * <p>
 * Role calls run on a bounded pool instead of grpc-java's default unbounded one. Each peer
 * connection has at most {@link #MAX_CALLS_PER_CONNECTION} calls open (HTTP/2 streams): further
 * calls wait in the peer's channel, so a busy peer is held back before it reaches this process.
 * Beyond that, calls wait in a queue of {@link #CALL_QUEUE}; when it is full a new call is refused
 * (gRPC resets its stream and the caller gets an error) instead of work piling up without bound.
 * <p>
 * Listener streams (the bidirectional {@code Watch...Events} calls) do not use the pool: their
 * callbacks (a subscription, an acknowledgement) are short and never block, and they run on the
 * transport thread. A role call that waits for listeners (a DDL waiting for its event's
 * acknowledgements) therefore never waits for a pool thread that calls waiting like it hold.
 */
public final class RpcServer implements AutoCloseable {
    /** Shard results with output vectors and segment lists of large collections are big; Milvus allows 256 MiB internally too. */
    public static final int MAX_MESSAGE_BYTES = 256 << 20;
    /** Pings the subscribers of listener streams, so a dead one is dropped instead of stalling publishers. */
    private static final long KEEPALIVE_SECONDS = 10;
    /**
     * Calls running at once. Some calls block while they wait (a search for its tsafe, a release for
     * the query nodes), so this is well above the cores; threads beyond the busy ones time out.
     */
    private static final int CALL_THREADS = 64;
    /** Calls waiting for a thread. */
    private static final int CALL_QUEUE = 1024;
    /** Calls one peer connection may have open at once (HTTP/2 MAX_CONCURRENT_STREAMS). */
    private static final int MAX_CALLS_PER_CONNECTION = 256;

    private final Server server;
    private final ThreadPoolExecutor calls;

    private RpcServer(Server server, ThreadPoolExecutor calls) {
        this.server = server;
        this.calls = calls;
    }

    public static RpcServer start(int port, List<BindableService> services) throws IOException {
        ThreadPoolExecutor calls = new ThreadPoolExecutor(CALL_THREADS, CALL_THREADS, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(CALL_QUEUE), NamedThreads.daemon("rpc-calls"));
        calls.allowCoreThreadTimeOut(true);
        NettyServerBuilder b = NettyServerBuilder.forPort(port)
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .keepAliveTime(KEEPALIVE_SECONDS, TimeUnit.SECONDS)
                .keepAliveTimeout(KEEPALIVE_SECONDS, TimeUnit.SECONDS)
                .permitKeepAliveTime(KEEPALIVE_SECONDS, TimeUnit.SECONDS)
                .maxConcurrentCallsPerConnection(MAX_CALLS_PER_CONNECTION)
                .executor(calls)
                .callExecutor(new ListenerStreamsInline());
        services.forEach(b::addService);
        try {
            return new RpcServer(b.build().start(), calls);
        } catch (IOException | RuntimeException e) {
            calls.shutdown();
            throw e;
        }
    }

    /** Listener streams run their callbacks where they arrive (see the class comment); other calls stay on the pool. */
    private static final class ListenerStreamsInline implements ServerCallExecutorSupplier {
        private static final Executor INLINE = Runnable::run;

        @Override
        public <ReqT, RespT> Executor getExecutor(ServerCall<ReqT, RespT> call, Metadata metadata) {
            return call.getMethodDescriptor().getType() == MethodDescriptor.MethodType.BIDI_STREAMING ? INLINE : null;
        }
    }

    public int port() {
        return server.getPort();
    }

    /**
     * Lets calls in flight finish for a moment, then cancels the rest (listener streams never finish
     * by themselves). The pool is shut down only once the server has terminated: gRPC still runs
     * the cancellations of the calls it ends on it, and a refused one would leave the call open.
     */
    @Override
    public void close() {
        server.shutdown();
        try {
            if (!server.awaitTermination(2, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
            if (server.awaitTermination(10, TimeUnit.SECONDS)) {
                calls.shutdown();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
        }
        // Otherwise the pool is left to its idle timeout: its threads are daemons and end after a minute unused.
    }
}
