package io.elanus.common;

import io.milvus.grpc.ErrorCode;

/**
 * Milvus 2.6 error kinds (its {@code merr} package): the numeric {@code code} that SDKs read from
 * {@code Status.code}, the base message, whether the client may retry, and the deprecated
 * {@link ErrorCode} that older SDKs still look at.
 */
public enum MilvusError {
    SERVICE_NOT_READY(1, "service not ready", true, ErrorCode.NotReadyServe),
    SERVICE_UNAVAILABLE(2, "service unavailable", true, ErrorCode.UnexpectedError),
    SERVICE_MEMORY_LIMIT_EXCEEDED(3, "memory limit exceeded", false, ErrorCode.InsufficientMemoryToLoad),
    SERVICE_TOO_MANY_REQUESTS(4, "too many concurrent requests, queue is full", true, ErrorCode.UnexpectedError),
    SERVICE_INTERNAL(5, "service internal error", false, ErrorCode.UnexpectedError),
    SERVICE_DISK_LIMIT_EXCEEDED(7, "disk limit exceeded", false, ErrorCode.DiskQuotaExhausted),
    SERVICE_RATE_LIMIT(8, "rate limit exceeded", true, ErrorCode.RateLimit),
    SERVICE_QUOTA_EXCEEDED(9, "quota exceeded", false, ErrorCode.ForceDeny),
    SERVICE_UNIMPLEMENTED(10, "service unimplemented", false, ErrorCode.UnexpectedError),
    COLLECTION_NOT_FOUND(100, "collection not found", false, ErrorCode.CollectionNotExists),
    COLLECTION_NOT_LOADED(101, "collection not loaded", false, ErrorCode.UnexpectedError),
    COLLECTION_NUM_LIMIT_EXCEEDED(102, "exceeded the limit number of collections", false, ErrorCode.UnexpectedError),
    COLLECTION_NOT_FULLY_LOADED(103, "collection not fully loaded", true, ErrorCode.UnexpectedError),
    PARTITION_NOT_FOUND(200, "partition not found", false, ErrorCode.UnexpectedError),
    PARTITION_NOT_LOADED(201, "partition not loaded", false, ErrorCode.UnexpectedError),
    CHANNEL_NOT_FOUND(500, "channel not found", false, ErrorCode.UnexpectedError),
    CHANNEL_NOT_AVAILABLE(503, "channel not available", false, ErrorCode.UnexpectedError),
    SEGMENT_NOT_FOUND(600, "segment not found", false, ErrorCode.UnexpectedError),
    INDEX_NOT_FOUND(700, "index not found", false, ErrorCode.IndexNotExist),
    INDEX_NOT_SUPPORTED(701, "index type not supported", false, ErrorCode.IllegalArgument),
    INDEX_DUPLICATE(702, "index duplicates", false, ErrorCode.IllegalArgument),
    DATABASE_NOT_FOUND(800, "database not found", false, ErrorCode.UnexpectedError),
    DATABASE_NUM_LIMIT_EXCEEDED(801, "exceeded the limit number of database", false, ErrorCode.UnexpectedError),
    DATABASE_INVALID_NAME(802, "invalid database name", false, ErrorCode.IllegalArgument),
    IO_KEY_NOT_FOUND(1000, "key not found", false, ErrorCode.UnexpectedError),
    IO_FAILED(1001, "IO failed", false, ErrorCode.UnexpectedError),
    PARAMETER_INVALID(1100, "invalid parameter", false, ErrorCode.IllegalArgument),
    ALIAS_NOT_FOUND(1600, "alias not found", false, ErrorCode.UnexpectedError),
    ALIAS_COLLECTION_NAME_CONFLICT(1601, "alias and collection name conflict", false, ErrorCode.IllegalArgument),
    ALIAS_ALREADY_EXIST(1602, "alias already exist", false, ErrorCode.IllegalArgument),
    FIELD_NOT_FOUND(1700, "field not found", false, ErrorCode.IllegalArgument),
    FIELD_INVALID_NAME(1701, "field name invalid", false, ErrorCode.IllegalArgument),
    TIMEOUT(10001, "request timeout", true, ErrorCode.UnexpectedError);

    /** Milvus sets bit 20 of the code for retriable errors. */
    private static final int RETRIABLE_FLAG = 1 << 20;

    public final int code;
    public final String message;
    public final boolean retriable;
    public final ErrorCode legacyCode;

    MilvusError(int code, String message, boolean retriable, ErrorCode legacyCode) {
        this.code = code;
        this.message = message;
        this.retriable = retriable;
        this.legacyCode = legacyCode;
    }

    /** The value that goes into {@code Status.code}. */
    public int wireCode() {
        return retriable ? code | RETRIABLE_FLAG : code;
    }

    public MilvusException error(String detail) {
        return new MilvusException(this, detail);
    }

    public MilvusException error() {
        return new MilvusException(this, null);
    }
}
