package io.elanus.storage.kv.etcd;

import io.etcd.jetcd.api.WatchGrpc;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Gives every etcd call a deadline, so a request to an unreachable etcd fails instead of waiting
 * for a connection forever. The watch stream is exempt: it lives as long as its watch.
 */
final class DeadlineInterceptor implements ClientInterceptor {
    private static final String WATCH = WatchGrpc.getWatchMethod().getFullMethodName();

    private final Duration timeout;

    DeadlineInterceptor(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(MethodDescriptor<ReqT, RespT> method,
                                                               CallOptions options, Channel next) {
        if (method.getFullMethodName().equals(WATCH)) {
            return next.newCall(method, options);
        }
        return next.newCall(method, options.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS));
    }
}
