package io.elanus.storage.kv;

/** A running prefix watch; closing it stops delivery. */
public interface KvWatch extends AutoCloseable {
    @Override
    void close();
}
