package io.elanus.quota;

/** Where the quota center reads memory use from (the JVM in production, a fake in tests). */
public interface MemorySource {
    /** The latest measurement; cheap, called on every write request. */
    MemoryUsage usage();

    /**
     * Asks for a fresh measurement. While writes are denied the server may allocate too little to
     * trigger a collection, and a stale measurement would deny them for ever.
     */
    void refresh();
}
