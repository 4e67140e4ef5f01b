package io.elanus.storage.kv.etcd;

import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.common.exception.EtcdExceptionFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for jetcd's asynchronous calls and turns their failures into exceptions: an
 * {@link EtcdUnavailableException} when etcd did not answer in time, else jetcd's
 * {@link EtcdException} carrying etcd's error code.
 */
final class EtcdCalls {
    /** Calls carry a gRPC deadline of {@link #timeout}; waiting a bit longer lets that deadline report first. */
    private static final long GRACE_MILLIS = 1_000;

    private final String endpoints;
    private final Duration timeout;

    EtcdCalls(String endpoints, Duration timeout) {
        this.endpoints = endpoints;
        this.timeout = timeout;
    }

    <T> T await(CompletableFuture<T> call, String request) {
        try {
            return call.get(timeout.toMillis() + GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new EtcdUnavailableException(endpoints, request, timeout, null);
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for etcd to complete " + request, e);
        } catch (ExecutionException e) {
            EtcdException failure = toEtcdException(e.getCause());
            if (isUnavailable(failure)) {
                throw new EtcdUnavailableException(endpoints, request, timeout, failure);
            }
            throw failure;
        }
    }

    /** The jetcd exception in a failure's cause chain, or one made from its gRPC status. */
    static EtcdException toEtcdException(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof EtcdException etcd) {
                return etcd;
            }
        }
        return EtcdExceptionFactory.toEtcdException(failure);
    }

    static boolean isUnavailable(EtcdException e) {
        return e.getErrorCode() == ErrorCode.DEADLINE_EXCEEDED || e.getErrorCode() == ErrorCode.UNAVAILABLE;
    }

    /** etcd's "requested lease not found". */
    static boolean isLeaseNotFound(EtcdException e) {
        return e.getErrorCode() == ErrorCode.NOT_FOUND;
    }

    /** etcd's "required revision has been compacted" (a future revision shares the code, not the message). */
    static boolean isCompacted(EtcdException e) {
        return e.getErrorCode() == ErrorCode.OUT_OF_RANGE && e.getMessage() != null && e.getMessage().contains("compacted");
    }
}
