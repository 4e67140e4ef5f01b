package io.elanus.storage.wal.kafka;

/** A WAL operation failed in Kafka: broker unreachable, timed out, or refused the request. */
public final class KafkaWalException extends RuntimeException {

    KafkaWalException(String message, Throwable cause) {
        super(message, cause);
    }
}
