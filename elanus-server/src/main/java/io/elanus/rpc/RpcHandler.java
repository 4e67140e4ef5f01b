package io.elanus.rpc;

import com.google.protobuf.Empty;
import io.grpc.stub.StreamObserver;

import java.util.function.Supplier;

/** Server side of a unary call: runs the role's method and answers with its result or its failure. */
public final class RpcHandler {
    private RpcHandler() {
    }

    public static <T> void reply(StreamObserver<T> out, Supplier<T> call) {
        T result;
        try {
            result = call.get();
        } catch (RuntimeException e) {
            // An unexpected failure is logged, with its stack trace, by the translation to a Milvus error.
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
