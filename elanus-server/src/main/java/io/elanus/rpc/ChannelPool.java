package io.elanus.rpc;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One channel per peer address ({@code host:port}), shared by every client of that peer; channels
 * reconnect by themselves when the peer comes back. The pool owns them: clients never shut a
 * pooled channel down, {@link #close} does.
 */
public final class ChannelPool implements AutoCloseable {
    /** Pings an idle connection so a peer that vanished without closing it is noticed. */
    private static final long KEEPALIVE_SECONDS = 30;
    private static final long KEEPALIVE_TIMEOUT_SECONDS = 10;

    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

    public ManagedChannel channel(String address) {
        return channels.computeIfAbsent(address, ChannelPool::connect);
    }

    private static ManagedChannel connect(String address) {
        return NettyChannelBuilder.forTarget(address).usePlaintext()
                .maxInboundMessageSize(RpcServer.MAX_MESSAGE_BYTES)
                .keepAliveTime(KEEPALIVE_SECONDS, TimeUnit.SECONDS)
                .keepAliveTimeout(KEEPALIVE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .build();
    }

    @Override
    public void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
        for (ManagedChannel c : channels.values()) {
            try {
                c.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        channels.clear();
    }
}
