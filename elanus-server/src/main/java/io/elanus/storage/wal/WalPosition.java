package io.elanus.storage.wal;

/** Where a record sits in the WAL. */
public record WalPosition(String channel, long offset) {
}
