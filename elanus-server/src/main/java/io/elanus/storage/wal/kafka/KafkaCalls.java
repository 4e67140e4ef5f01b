package io.elanus.storage.wal.kafka;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits for a Kafka client future, turning every failure into a {@link KafkaWalException} that names the action. */
final class KafkaCalls {

    private KafkaCalls() {
    }

    /**
     * The future's value; on failure a {@link KafkaWalException} whose cause is Kafka's own exception
     * (not the {@link ExecutionException} wrapper), so callers can tell e.g. an existing topic apart.
     */
    static <T> T await(Future<T> future, Duration timeout, String action) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new KafkaWalException("Kafka WAL: " + action + " failed: " + cause, cause);
        } catch (TimeoutException e) {
            throw new KafkaWalException("Kafka WAL: " + action + " did not complete within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaWalException("Kafka WAL: interrupted during " + action, e);
        }
    }
}
