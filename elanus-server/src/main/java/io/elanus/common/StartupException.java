package io.elanus.common;

/**
 * A reason the server cannot start that the operator can act on (port in use, data directory not
 * writable or locked, bad configuration). The launcher prints its message as one line on stderr and
 * exits non-zero, without a stack trace.
 */
public final class StartupException extends RuntimeException {
    public StartupException(String message) {
        super(message);
    }

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
