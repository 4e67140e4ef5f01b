package io.elanus.proxy;

import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.util.concurrent.TimeUnit;

/**
 * Answers a request whose bytes are not a valid message (random bytes, invalid UTF-8 in a string
 * field, a truncated message) with gRPC {@code INVALID_ARGUMENT} and a short reason, and logs it as
 * one throttled line. Left to grpc-java, a parse failure ends as {@code UNKNOWN: Application error
 * processing RPC} with a SEVERE stack trace per request.
 * <p>
 * How: every method's request marshaller is wrapped so that a parse failure yields an
 * {@link Undecodable} marker instead of throwing; the call's listener closes the call on the marker
 * and never passes it (or the half-close after it) to the service.
 */
final class UndecodableRequests {
    private static final ThrottledLog LOG = new ThrottledLog(LoggerFactory.getLogger(UndecodableRequests.class),
            TimeUnit.SECONDS.toNanos(60), System::nanoTime);

    private UndecodableRequests() {
    }

    /** Why a request could not be decoded. */
    record Undecodable(String reason) {
    }

    static ServerServiceDefinition guard(ServerServiceDefinition service) {
        ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(service.getServiceDescriptor().getName());
        for (ServerMethodDefinition<?, ?> m : service.getMethods()) {
            b.addMethod(guard(m));
        }
        return b.build();
    }

    private static <Q, R> ServerMethodDefinition<Object, R> guard(ServerMethodDefinition<Q, R> method) {
        MethodDescriptor<Q, R> md = method.getMethodDescriptor();
        MethodDescriptor<Object, R> lenient = md.toBuilder(new LenientMarshaller<>(md.getRequestMarshaller()),
                md.getResponseMarshaller()).build();
        ServerCallHandler<Q, R> inner = method.getServerCallHandler();
        return ServerMethodDefinition.create(lenient, (call, headers) -> start(inner, call, headers));
    }

    @SuppressWarnings("unchecked")
    private static <Q, R> ServerCall.Listener<Object> start(ServerCallHandler<Q, R> inner, ServerCall<Object, R> call,
                                                            Metadata headers) {
        // The service only ever sees decoded messages of type Q: the listener below filters out the markers.
        ServerCall.Listener<Q> delegate = inner.startCall((ServerCall<Q, R>) (ServerCall<?, R>) call, headers);
        return new GuardedListener<>(delegate, call);
    }

    /** Forwards decoded messages; on a marker, closes the call with INVALID_ARGUMENT and drops what follows. */
    private static final class GuardedListener<Q, R> extends ServerCall.Listener<Object> {
        private final ServerCall.Listener<Q> delegate;
        private final ServerCall<Object, R> call;
        // Listener callbacks of one call are serialized by gRPC, so a plain field is enough.
        private boolean rejected;

        GuardedListener(ServerCall.Listener<Q> delegate, ServerCall<Object, R> call) {
            this.delegate = delegate;
            this.call = call;
        }

        @Override
        @SuppressWarnings("unchecked")
        public void onMessage(Object message) {
            if (rejected) {
                return;
            }
            if (message instanceof Undecodable u) {
                rejected = true;
                String method = call.getMethodDescriptor().getBareMethodName();
                LOG.warn("refused an undecodable " + method + " request: " + u.reason());
                call.close(Status.INVALID_ARGUMENT.withDescription("cannot decode the " + method + " request: " + u.reason()),
                        new Metadata());
                return;
            }
            delegate.onMessage((Q) message);
        }

        @Override
        public void onHalfClose() {
            if (!rejected) {
                delegate.onHalfClose();
            }
        }

        @Override
        public void onCancel() {
            delegate.onCancel();
        }

        @Override
        public void onComplete() {
            delegate.onComplete();
        }

        @Override
        public void onReady() {
            if (!rejected) {
                delegate.onReady();
            }
        }
    }

    /** The method's own marshaller, returning an {@link Undecodable} where it would throw. */
    private record LenientMarshaller<Q>(MethodDescriptor.Marshaller<Q> delegate) implements MethodDescriptor.Marshaller<Object> {
        @Override
        @SuppressWarnings("unchecked")
        public InputStream stream(Object value) {
            return delegate.stream((Q) value);
        }

        @Override
        public Object parse(InputStream stream) {
            try {
                return delegate.parse(stream);
            } catch (RuntimeException e) {
                return new Undecodable(reasonOf(e));
            }
        }

        /** protobuf's own wording (e.g. "Protocol message had invalid UTF-8."), which grpc-java wraps in a Status. */
        private static String reasonOf(RuntimeException e) {
            Throwable t = e instanceof StatusRuntimeException && e.getCause() != null ? e.getCause() : e;
            String m = t.getMessage();
            return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
        }
    }
}
