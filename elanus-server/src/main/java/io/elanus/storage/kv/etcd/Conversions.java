package io.elanus.storage.kv.etcd;

import io.elanus.storage.kv.KvEntry;
import io.elanus.storage.kv.KvEvent;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.watch.WatchEvent;

import java.nio.charset.StandardCharsets;

/** Between the store's types and jetcd's (whose keys are already relative to the client's namespace). */
final class Conversions {
    private Conversions() {
    }

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    static ByteSequence bytes(byte[] value) {
        return ByteSequence.from(value);
    }

    static KvEntry entry(KeyValue kv) {
        return new KvEntry(kv.getKey().toString(StandardCharsets.UTF_8), kv.getValue().getBytes(),
                kv.getCreateRevision(), kv.getModRevision(), kv.getVersion(), kv.getLease());
    }

    /** etcd reports a deletion with the key and the deleting revision only, as the embedded store does. */
    static KvEvent event(WatchEvent event) {
        return switch (event.getEventType()) {
            case PUT -> new KvEvent(KvEvent.Type.PUT, entry(event.getKeyValue()));
            case DELETE -> new KvEvent(KvEvent.Type.DELETE, new KvEntry(
                    event.getKeyValue().getKey().toString(StandardCharsets.UTF_8), new byte[0], 0,
                    event.getKeyValue().getModRevision(), 0, 0));
            case UNRECOGNIZED -> throw new IllegalStateException("unknown etcd watch event type");
        };
    }
}
