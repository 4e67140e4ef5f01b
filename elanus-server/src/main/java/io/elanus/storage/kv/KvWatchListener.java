package io.elanus.storage.kv;

@FunctionalInterface
public interface KvWatchListener {
    /** Called in revision order on the watch's thread; must not block for long. */
    void onEvent(KvEvent event);
}
