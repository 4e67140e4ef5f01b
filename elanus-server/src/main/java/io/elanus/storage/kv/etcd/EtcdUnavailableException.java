package io.elanus.storage.kv.etcd;

import io.etcd.jetcd.common.exception.EtcdException;

import java.time.Duration;

/** etcd did not answer a request in time: it is down, unreachable or has no leader. */
public class EtcdUnavailableException extends RuntimeException {
    /** @param cause the call's failure (its code says which), or null when it never completed */
    public EtcdUnavailableException(String endpoints, String request, Duration timeout, EtcdException cause) {
        super("etcd at " + endpoints + " did not complete " + request + " within " + timeout.toMillis() + " ms"
                + (cause == null ? "" : " (" + cause.getErrorCode() + ")"), cause);
    }
}
