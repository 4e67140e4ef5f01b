package io.elanus.rpc;

import com.google.protobuf.Empty;
import io.elanus.common.MilvusException;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/** Server side of a unary call: runs the role's method and answers with its result or its failure. */
public final class RpcHandler {
    private static final Logger LOG = LoggerFactory.getLogger(RpcHandler.class);

    private RpcHandler() {
    }

    public static <T> void reply(StreamObserver<T> out, Supplier<T> call) {
        T result;
        try {
            result = call.get();
        } catch (RuntimeException e) {
            if (!(e instanceof MilvusException)) {
                LOG.warn("internal error serving a role call", e);
            }
            out.onError(RpcErrors.toStatusException(e));
            return;
        }
        out.onNext(result);
        out.onCompleted();
    }

    public static void run(StreamObserver<Empty> out, Runnable call) {
        reply(out, () -> {
            call.run();
            return Empty.getDefaultInstance();
        });
    }
}
