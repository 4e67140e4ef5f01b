package io.elanus.session;

import io.elanus.storage.kv.KvEntry;
import io.elanus.storage.kv.MetaKv;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Hands every process of a cluster its own server ID from a counter in the meta store (as Milvus
 * does under {@code session/id}), by compare-and-swap so concurrent starts never share one.
 */
public final class ServerIds {
    static final String KEY = "cluster/server-id";

    private ServerIds() {
    }

    public static long next(MetaKv kv) {
        while (true) {
            Optional<KvEntry> current = kv.get(KEY);
            long last = current.map(e -> ByteBuffer.wrap(e.value()).getLong()).orElse(0L);
            long revision = current.map(KvEntry::modRevision).orElse(0L);
            long id = last + 1;
            if (kv.compareAndSwap(KEY, revision, ByteBuffer.allocate(Long.BYTES).putLong(id).array())) {
                return id;
            }
        }
    }
}
