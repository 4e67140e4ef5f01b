package io.elanus.msgstream;

/**
 * A WAL message a consumer cannot apply because of what it holds (its columns do not decode
 * against the collection's schema), as opposed to a failure of something it talks to. Replaying it
 * gives the same result every time, so it is reported as a fault at once rather than after retries.
 */
public final class UnappliableMessageException extends RuntimeException {
    public UnappliableMessageException(String vchannel, long offset, RuntimeException cause) {
        super("cannot apply the WAL message at offset " + offset + " of " + vchannel + ": " + cause.getMessage(), cause);
    }
}
