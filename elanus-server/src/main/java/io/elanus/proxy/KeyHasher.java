package io.elanus.proxy;

/**
 * Routes rows by key: primary keys to shards (so every version and delete of a key lands on the
 * same vchannel), partition-key values to partitions. A fixed 32-bit mix, stable across restarts.
 */
final class KeyHasher {
    private KeyHasher() {
    }

    static int bucket(long key, int buckets) {
        long h = key * 0x9E3779B97F4A7C15L;
        h ^= h >>> 32;
        return (int) Math.floorMod(h, (long) buckets);
    }

    static int bucket(String key, int buckets) {
        int h = 0x811C9DC5;
        for (int i = 0; i < key.length(); i++) {
            h ^= key.charAt(i);
            h *= 0x01000193;
        }
        return Math.floorMod(h, buckets);
    }

    static int bucket(Object key, int buckets) {
        return key instanceof Long l ? bucket(l.longValue(), buckets) : bucket(String.valueOf(key), buckets);
    }
}
