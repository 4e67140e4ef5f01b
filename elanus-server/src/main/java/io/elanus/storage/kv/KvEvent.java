package io.elanus.storage.kv;

/** A change seen by a watch. For a DELETE, {@code entry.value()} is empty and {@code modRevision} is the deleting revision. */
public record KvEvent(Type type, KvEntry entry) {
    public enum Type { PUT, DELETE }
}
