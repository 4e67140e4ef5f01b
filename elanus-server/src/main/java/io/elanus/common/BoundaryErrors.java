package io.elanus.common;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one translation of a failure met where a call leaves a role (the proxy answering a client, a role answering
 * a gRPC call from another role) into the Milvus error the caller receives:
 * <ul>
 *   <li>a {@link MilvusException} anywhere in the cause chain is answered as it is (a wrapper such as a
 *       CompletionException does not hide it);</li>
 *   <li>anything else is a fault of the server: Milvus's "service internal error" (code 5), with the exception's
 *       own message as the detail, never its class name, and the stack trace logged here, once, on the server.</li>
 * </ul>
 */
public final class BoundaryErrors {
    private static final Logger LOG = LoggerFactory.getLogger(BoundaryErrors.class);

    private BoundaryErrors() {
    }

    /**
     * @param where what was being served, for the log line of an internal fault ("a request", "a role call")
     */
    public static MilvusException toMilvus(Throwable failure, String where) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof MilvusException m) {
                return m;
            }
        }
        LOG.error("internal error serving {}", where, failure);
        return internal(failure);
    }

    /** Milvus's {@code "<detail>: service internal error"} for an unexpected failure. */
    static MilvusException internal(Throwable failure) {
        return new MilvusException(MilvusError.SERVICE_INTERNAL, detail(failure) + ": " + MilvusError.SERVICE_INTERNAL.message);
    }

    /**
     * The failure's own words. A wrapper built from a cause alone ({@code new RuntimeException(cause)}) carries the
     * cause's toString() as its message, so the cause's message is used instead.
     */
    private static String detail(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t && t.getCause().toString().equals(t.getMessage())) {
            t = t.getCause();
        }
        if (t instanceof StackOverflowError) {
            return "the request nests too deeply to be served (stack overflow)";
        }
        String message = t.getMessage();
        return message == null || message.isBlank() ? "unexpected failure without a message (the server log has its stack trace)" : message;
    }
}
