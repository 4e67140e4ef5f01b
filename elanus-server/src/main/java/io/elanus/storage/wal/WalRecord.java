package io.elanus.storage.wal;

public record WalRecord(WalPosition position, byte[] payload) {
}
