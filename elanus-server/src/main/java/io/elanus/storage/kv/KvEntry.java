package io.elanus.storage.kv;

/**
 * One key and its value, with etcd's bookkeeping: the revision that created the key, the revision
 * of its last change, how many times it changed since creation, and its lease (0 for none).
 */
public record KvEntry(String key, byte[] value, long createRevision, long modRevision, long version, long leaseId) {
}
