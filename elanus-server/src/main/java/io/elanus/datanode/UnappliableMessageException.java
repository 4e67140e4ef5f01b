package io.elanus.datanode;

/**
 * A WAL message the flow graph cannot apply because of what it holds (its columns do not decode
 * against the collection's schema), as opposed to a failure of something it talks to. Replaying it
 * gives the same result every time, so it is reported as a fault at once rather than after retries.
 */
final class UnappliableMessageException extends RuntimeException {
    UnappliableMessageException(String vchannel, long offset, RuntimeException cause) {
        super("cannot apply the WAL message at offset " + offset + " of " + vchannel + ": " + cause.getMessage(), cause);
    }
}
