package io.elanus.rpc;

import io.elanus.common.BoundaryErrors;
import io.elanus.common.MilvusError;
import io.elanus.common.MilvusException;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;

/**
 * Failures across a role boundary. The server answers a failed call with a gRPC error whose
 * trailers carry the Milvus status of the exception, so the caller rethrows a
 * {@link MilvusException} of the same kind and message. Transport failures without one become
 * Milvus errors too: an unreachable peer is "service unavailable", a missed deadline a timeout.
 */
public final class RpcErrors {
    private static final Metadata.Key<io.milvus.grpc.Status> MILVUS_STATUS =
            ProtoUtils.keyForProto(io.milvus.grpc.Status.getDefaultInstance());

    private RpcErrors() {
    }

    /** The Milvus status of a failed event listener, as {@link BoundaryErrors} translates it. */
    public static io.milvus.grpc.Status toMilvusStatus(Throwable t) {
        return BoundaryErrors.toMilvus(t, "an event from another role").toStatus();
    }

    /** The gRPC error a server answers a failed call with. */
    public static StatusRuntimeException toStatusException(Throwable t) {
        MilvusException m = BoundaryErrors.toMilvus(t, "a role call");
        Metadata trailers = new Metadata();
        trailers.put(MILVUS_STATUS, m.toStatus());
        Status grpc = m.kind() == MilvusError.SERVICE_INTERNAL ? Status.INTERNAL : Status.UNKNOWN;
        return grpc.withDescription(m.getMessage()).asRuntimeException(trailers);
    }

    /** What a client throws for a failed call to {@code peer}. */
    public static MilvusException toMilvusException(StatusRuntimeException e, String peer) {
        io.milvus.grpc.Status carried = e.getTrailers() == null ? null : e.getTrailers().get(MILVUS_STATUS);
        MilvusException out;
        if (carried != null) {
            out = fromMilvusStatus(carried);
        } else {
            String cause = e.getStatus().getCode() + (e.getStatus().getDescription() == null ? "" : " " + e.getStatus().getDescription());
            out = switch (e.getStatus().getCode()) {
                case UNAVAILABLE, CANCELLED -> new MilvusException(MilvusError.SERVICE_UNAVAILABLE,
                        peer + " is unreachable (" + cause + "): " + MilvusError.SERVICE_UNAVAILABLE.message);
                case DEADLINE_EXCEEDED -> new MilvusException(MilvusError.TIMEOUT,
                        peer + " did not answer in time (" + cause + "): " + MilvusError.TIMEOUT.message);
                default -> new MilvusException(MilvusError.SERVICE_INTERNAL,
                        peer + " failed (" + cause + "): " + MilvusError.SERVICE_INTERNAL.message);
            };
        }
        out.initCause(e);
        return out;
    }

    /** The exception a Milvus status stands for; an unknown code is an internal error. */
    public static MilvusException fromMilvusStatus(io.milvus.grpc.Status status) {
        return new MilvusException(kindOf(status.getCode()), status.getReason());
    }

    private static MilvusError kindOf(int wireCode) {
        for (MilvusError kind : MilvusError.values()) {
            if (kind.wireCode() == wireCode) {
                return kind;
            }
        }
        return MilvusError.SERVICE_INTERNAL;
    }
}
