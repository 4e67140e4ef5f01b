package io.elanus.storage.object;

import java.util.List;
import java.util.Optional;

/**
 * Segment, log and index files (Milvus keeps them in MinIO/S3). Keys are '/'-separated paths
 * without a leading slash. A put is atomic (readers see the old object or the whole new one) and
 * durable once it returns. Thread-safe.
 */
public interface ObjectStore extends AutoCloseable {

    void put(String key, byte[] data);

    /** The whole object, or empty if there is none. */
    Optional<byte[]> get(String key);

    /** {@code length} bytes from {@code offset}; fewer if the object ends sooner. Throws if the object does not exist. */
    byte[] getRange(String key, long offset, int length);

    /** Objects whose key starts with {@code prefix} (recursively), in key order. */
    List<ObjectInfo> list(String prefix);

    boolean exists(String key);

    /** Deletes the object; deleting a missing key is not an error. */
    void delete(String key);

    /** Deletes every object under the prefix. */
    void deletePrefix(String prefix);

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
