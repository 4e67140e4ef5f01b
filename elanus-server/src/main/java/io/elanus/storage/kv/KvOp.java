package io.elanus.storage.kv;

/** One change inside a logged mutation. */
sealed interface KvOp {
    String key();

    record Put(String key, byte[] value, long leaseId) implements KvOp {
    }

    record Delete(String key) implements KvOp {
    }
}
