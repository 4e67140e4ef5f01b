package io.elanus.storage.kv;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The metadata store (Milvus keeps it in etcd): a revisioned key-value map with prefix scans,
 * compare-and-swap, prefix watches and leases. Keys are '/'-separated strings; every successful
 * mutation bumps a store-wide revision, as etcd does.
 *
 * <p>Implementations are thread-safe. A mutation that returned has been made durable.
 */
public interface MetaKv extends AutoCloseable {

    Optional<KvEntry> get(String key);

    /** Every entry whose key starts with {@code prefix}, in key order. */
    List<KvEntry> scanPrefix(String prefix);

    /** Stores the value; returns the new store revision. */
    long put(String key, byte[] value);

    /** Stores the value attached to a lease: the key disappears when the lease expires or is revoked. */
    long put(String key, byte[] value, long leaseId);

    /** Removes the key; returns whether it existed. */
    boolean delete(String key);

    /** Removes every key under the prefix; returns how many were removed. */
    int deletePrefix(String prefix);

    /**
     * Atomically applies puts and deletes (Milvus's MultiSaveAndRemove): either all take effect
     * under one new revision or none does.
     */
    long multiSaveAndRemove(Map<String, byte[]> puts, Set<String> deletes);

    /**
     * Stores {@code value} only if the key's current {@link KvEntry#modRevision()} equals
     * {@code expectedModRevision}; {@code expectedModRevision == 0} means "only if absent".
     */
    boolean compareAndSwap(String key, long expectedModRevision, byte[] value);

    /** The revision of the last mutation (0 for an empty, new store). */
    long currentRevision();

    /**
     * Delivers every mutation under the prefix with a revision greater than {@code afterRevision},
     * in revision order, on one thread owned by the watch, until it is closed. Events already in
     * the store's history are replayed first, so a caller that scanned at revision R and watches
     * from R misses nothing.
     */
    KvWatch watchPrefix(String prefix, long afterRevision, KvWatchListener listener);

    /** Creates a lease that expires unless kept alive within {@code ttl}. */
    long grantLease(Duration ttl);

    /** Extends the lease by its TTL; returns false if it has already expired. */
    boolean keepAlive(long leaseId);

    /** Ends the lease now, deleting the keys attached to it. */
    void revokeLease(long leaseId);

    /**
     * Faults of the backend now, each naming its cause (e.g. the disk is full): health reports them
     * until they clear. Empty when healthy.
     */
    default List<String> activeFaults() {
        return List.of();
    }

    @Override
    void close();
}
