package io.elanus.proxy;

import io.elanus.common.MilvusError;
import io.elanus.common.MilvusException;
import io.elanus.storage.StorageFaultException;

import java.util.Optional;

/**
 * Turns a storage fault met anywhere below a request into the Milvus error a client can act on.
 * A full disk is Milvus's disk-limit error (code 7, legacy DiskQuotaExhausted, not retriable: it
 * takes the operator to free space); a read-only or deleted data directory and other I/O errors
 * are Milvus's IO failure (code 1001). The reason keeps the storage layer's words, which name
 * the cause and the path, in Milvus's {@code "<detail>: <base message>"} form.
 */
final class StorageErrors {
    private StorageErrors() {
    }

    static Optional<MilvusException> toMilvus(Throwable error) {
        return StorageFaultException.find(error).map(StorageErrors::of);
    }

    static MilvusException of(StorageFaultException fault) {
        MilvusError kind = fault.kind() == StorageFaultException.Kind.DISK_FULL
                ? MilvusError.SERVICE_DISK_LIMIT_EXCEEDED : MilvusError.IO_FAILED;
        return new MilvusException(kind, fault.getMessage() + ": " + kind.message);
    }
}
