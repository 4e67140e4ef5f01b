package io.elanus.rpc;

import io.grpc.StatusRuntimeException;
import io.grpc.stub.AbstractBlockingStub;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Client side of unary calls to one peer: each call gets a deadline, and any failure becomes a
 * {@link io.elanus.common.MilvusException} (see {@link RpcErrors}).
 */
public final class RemoteStub<S extends AbstractBlockingStub<S>> {
    private final S stub;
    private final String peer;
    private final Duration deadline;

    /** @param role the peer's role name, for error messages */
    public RemoteStub(S stub, String role, Duration deadline) {
        this.stub = stub;
        this.peer = role + " at " + stub.getChannel().authority();
        this.deadline = deadline;
    }

    public <T> T call(Function<S, T> rpc) {
        return call(deadline, rpc);
    }

    public <T> T call(Duration callDeadline, Function<S, T> rpc) {
        try {
            return rpc.apply(stub.withDeadlineAfter(callDeadline.toMillis(), TimeUnit.MILLISECONDS));
        } catch (StatusRuntimeException e) {
            throw RpcErrors.toMilvusException(e, peer);
        }
    }

    public String peer() {
        return peer;
    }

    public Duration deadline() {
        return deadline;
    }
}
