package io.elanus.common;

import io.milvus.grpc.Status;

/**
 * A failure reported to the client as a Milvus {@link Status}. The reason reads the way Milvus
 * words it: {@code "<detail>: <base message>"} or the base message with a bracketed key.
 */
public final class MilvusException extends RuntimeException {
    private final MilvusError kind;

    public MilvusException(MilvusError kind, String detail) {
        super(detail == null || detail.isEmpty() ? kind.message : detail);
        this.kind = kind;
    }

    public MilvusError kind() {
        return kind;
    }

    public Status toStatus() {
        return Status.newBuilder()
                .setCode(kind.wireCode())
                .setErrorCode(kind.legacyCode)
                .setReason(getMessage())
                .setRetriable(kind.retriable)
                .build();
    }

    /** "collection not found[collection=foo]" — Milvus's wrap-with-field style. */
    public static MilvusException withKey(MilvusError kind, String key, Object value) {
        return new MilvusException(kind, kind.message + "[" + key + "=" + value + "]");
    }

    /** Milvus's "invalid parameter" wording: {@code "<detail>: invalid parameter"}. */
    public static MilvusException invalidParameter(String detail) {
        return new MilvusException(MilvusError.PARAMETER_INVALID, detail + ": invalid parameter");
    }
}
