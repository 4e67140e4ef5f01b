package io.elanus.storage.kv;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contract every {@link MetaKv} must meet; subclasses say how to open one. */
public abstract class MetaKvConformanceTest {

    @TempDir
    protected Path dir;
    protected MetaKv kv;

    /** Opens a store over {@code dir}; opening the same dir again must see the same data. */
    protected abstract MetaKv open(Path dir) throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        kv = open(dir);
    }

    @AfterEach
    void closeStore() {
        kv.close();
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    protected static String text(KvEntry entry) {
        return new String(entry.value(), StandardCharsets.UTF_8);
    }

    protected static List<String> keys(List<KvEntry> entries) {
        return entries.stream().map(KvEntry::key).toList();
    }

    /** Collects a watch's events for assertions. */
    protected static final class Collector implements KvWatchListener {
        final BlockingQueue<KvEvent> events = new LinkedBlockingQueue<>();

        @Override
        public void onEvent(KvEvent event) {
            events.add(event);
        }

        KvEvent next() throws InterruptedException {
            KvEvent event = events.poll(10, TimeUnit.SECONDS);
            assertNotNull(event, "expected an event");
            return event;
        }

        void assertQuiet() throws InterruptedException {
            assertNull(events.poll(100, TimeUnit.MILLISECONDS));
        }
    }

    protected static void assertEvent(KvEvent event, KvEvent.Type type, String key, long revision) {
        assertEquals(type, event.type(), "type of " + event);
        assertEquals(key, event.entry().key());
        assertEquals(revision, event.entry().modRevision(), "revision of " + key);
    }

    @Test
    void putGetDeleteKeepEtcdBookkeeping() {
        long start = kv.currentRevision();
        long r1 = kv.put("k", bytes("v1"));
        assertEquals(start + 1, r1);
        assertEquals(r1, kv.currentRevision());
        KvEntry entry = kv.get("k").orElseThrow();
        assertEquals("v1", text(entry));
        assertEquals(r1, entry.createRevision());
        assertEquals(r1, entry.modRevision());
        assertEquals(1, entry.version());
        assertEquals(0, entry.leaseId());

        long r2 = kv.put("k", bytes("v2"));
        entry = kv.get("k").orElseThrow();
        assertEquals(r1 + 1, r2);
        assertEquals("v2", text(entry));
        assertEquals(r1, entry.createRevision());
        assertEquals(r2, entry.modRevision());
        assertEquals(2, entry.version());

        assertTrue(kv.delete("k"));
        assertEquals(r2 + 1, kv.currentRevision());
        assertTrue(kv.get("k").isEmpty());
        assertFalse(kv.delete("k"));
        assertEquals(r2 + 1, kv.currentRevision(), "deleting a missing key changes nothing");

        long r4 = kv.put("k", bytes("v3"));
        entry = kv.get("k").orElseThrow();
        assertEquals(r4, entry.createRevision());
        assertEquals(1, entry.version());
    }

    @Test
    void callersCannotMutateStoredValues() {
        byte[] value = bytes("abc");
        kv.put("k", value);
        value[0] = 'X';
        kv.get("k").orElseThrow().value()[1] = 'Y';
        assertEquals("abc", text(kv.get("k").orElseThrow()));
    }

    @Test
    void scanPrefixIsOrderedAndDoesNotMixSimilarPrefixes() {
        for (String key : List.of("a/c", "a/bc", "a/b/1", "b", "a/b", "a/b/0", "a/b/10")) {
            kv.put(key, bytes(key));
        }
        assertEquals(List.of("a/b/0", "a/b/1", "a/b/10"), keys(kv.scanPrefix("a/b/")));
        assertEquals(List.of("a/b", "a/b/0", "a/b/1", "a/b/10", "a/bc"), keys(kv.scanPrefix("a/b")));
        assertEquals(List.of("a/b", "a/b/0", "a/b/1", "a/b/10", "a/bc", "a/c", "b"), keys(kv.scanPrefix("")));
        assertEquals(List.of(), keys(kv.scanPrefix("c")));
        assertEquals("a/bc", text(kv.scanPrefix("a/bc").getFirst()));

        assertEquals(3, kv.deletePrefix("a/b/"));
        assertEquals(List.of("a/b", "a/bc", "a/c"), keys(kv.scanPrefix("a/")));
        long revision = kv.currentRevision();
        assertEquals(0, kv.deletePrefix("zzz"));
        assertEquals(revision, kv.currentRevision());
    }

    @Test
    void compareAndSwapOnModRevision() {
        assertTrue(kv.compareAndSwap("lock", 0, bytes("mine")));
        long created = kv.get("lock").orElseThrow().modRevision();
        assertFalse(kv.compareAndSwap("lock", 0, bytes("theirs")), "0 means only if absent");
        assertFalse(kv.compareAndSwap("lock", created + 7, bytes("theirs")));
        assertEquals(created, kv.currentRevision(), "a failed CAS changes nothing");
        assertTrue(kv.compareAndSwap("lock", created, bytes("updated")));
        KvEntry entry = kv.get("lock").orElseThrow();
        assertEquals("updated", text(entry));
        assertEquals(2, entry.version());
        assertFalse(kv.compareAndSwap("other", created, bytes("x")), "absent key has modRevision 0");
    }

    @Test
    void multiSaveAndRemoveAppliesEverythingUnderOneRevision() throws Exception {
        kv.put("m/x", bytes("x"));
        kv.put("m/y", bytes("y"));
        long before = kv.currentRevision();
        Collector collector = new Collector();
        try (KvWatch ignored = kv.watchPrefix("m/", before, collector)) {
            long revision = kv.multiSaveAndRemove(Map.of("m/a", bytes("a"), "m/b", bytes("b")), Set.of("m/x", "m/missing"));
            assertEquals(before + 1, revision);
            assertEquals(revision, kv.currentRevision());
            assertEquals(List.of("m/a", "m/b", "m/y"), keys(kv.scanPrefix("m/")));
            assertEquals(revision, kv.get("m/a").orElseThrow().modRevision());
            assertEquals(revision, kv.get("m/b").orElseThrow().modRevision());
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                KvEvent event = collector.next();
                assertEquals(revision, event.entry().modRevision());
                seen.add(event.type() + " " + event.entry().key());
            }
            assertEquals(Set.of("PUT m/a", "PUT m/b", "DELETE m/x"), seen);
        }
    }

    @Test
    void watchReplaysHistoryThenStreamsLiveEvents() throws Exception {
        long r1 = kv.put("p/1", bytes("1"));
        long r2 = kv.put("p/2", bytes("2"));
        kv.put("q/1", bytes("other prefix"));
        long r4 = kv.put("p/1", bytes("1b"));
        Collector collector = new Collector();
        try (KvWatch ignored = kv.watchPrefix("p/", r1, collector)) {
            assertEvent(collector.next(), KvEvent.Type.PUT, "p/2", r2);
            KvEvent update = collector.next();
            assertEvent(update, KvEvent.Type.PUT, "p/1", r4);
            assertEquals("1b", text(update.entry()));
            assertEquals(2, update.entry().version());

            long r5 = kv.put("p/3", bytes("3"));
            kv.put("pp", bytes("not under p/"));
            long r7 = kv.delete("p/2") ? kv.currentRevision() : -1;
            assertEvent(collector.next(), KvEvent.Type.PUT, "p/3", r5);
            KvEvent deleted = collector.next();
            assertEvent(deleted, KvEvent.Type.DELETE, "p/2", r7);
            assertEquals(0, deleted.entry().value().length);
            collector.assertQuiet();
        }
    }

    @Test
    void watchFromTheCurrentRevisionMissesNothingAndKeepsOrder() throws Exception {
        kv.put("w/seed", bytes("seed"));
        Collector collector = new Collector();
        int threads = 4;
        int perThread = 100;
        try (KvWatch ignored = kv.watchPrefix("w/", kv.currentRevision(), collector)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        kv.put("w/" + thread + "/" + (i % 10), bytes(Integer.toString(i)));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            pool.shutdown();
            long previous = 0;
            for (int i = 0; i < threads * perThread; i++) {
                long revision = collector.next().entry().modRevision();
                assertTrue(revision > previous, "revisions must increase");
                previous = revision;
            }
            assertEquals(kv.currentRevision(), previous);
            collector.assertQuiet();
        }
    }

    @Test
    void closingAWatchStopsDelivery() throws Exception {
        Collector collector = new Collector();
        KvWatch watch = kv.watchPrefix("c/", kv.currentRevision(), collector);
        kv.put("c/1", bytes("1"));
        assertEvent(collector.next(), KvEvent.Type.PUT, "c/1", kv.currentRevision());
        watch.close();
        kv.put("c/2", bytes("2"));
        kv.deletePrefix("c/");
        collector.assertQuiet();
    }

    @Test
    void deletePrefixDeliversADeleteEventPerKey() throws Exception {
        kv.put("d/1", bytes("1"));
        kv.put("d/2", bytes("2"));
        Collector collector = new Collector();
        try (KvWatch ignored = kv.watchPrefix("d/", kv.currentRevision(), collector)) {
            assertEquals(2, kv.deletePrefix("d/"));
            long revision = kv.currentRevision();
            assertEvent(collector.next(), KvEvent.Type.DELETE, "d/1", revision);
            assertEvent(collector.next(), KvEvent.Type.DELETE, "d/2", revision);
        }
    }

    @Test
    void anExpiredLeaseDeletesItsKeysWithDeleteEvents() throws Exception {
        long lease = kv.grantLease(Duration.ofMillis(300));
        kv.put("session/a", bytes("a"), lease);
        kv.put("session/b", bytes("b"));
        assertEquals(lease, kv.get("session/a").orElseThrow().leaseId());
        Collector collector = new Collector();
        try (KvWatch ignored = kv.watchPrefix("session/", kv.currentRevision(), collector)) {
            KvEvent event = collector.next();
            assertEquals(KvEvent.Type.DELETE, event.type());
            assertEquals("session/a", event.entry().key());
        }
        assertTrue(kv.get("session/a").isEmpty());
        assertTrue(kv.get("session/b").isPresent());
        assertFalse(kv.keepAlive(lease));
        assertThrows(LeaseNotFoundException.class, () -> kv.put("session/c", bytes("c"), lease));
    }

    @Test
    void keepAliveHoldsALease() throws Exception {
        // Kept alive for longer than its TTL; the TTL leaves room for a stall of a few seconds (GC, a busy etcd)
        // between two keep-alives, which a 2 s TTL did not on a loaded 2-core machine.
        long lease = kv.grantLease(Duration.ofSeconds(5));
        kv.put("alive", bytes("yes"), lease);
        long until = System.nanoTime() + Duration.ofSeconds(7).toNanos();
        while (System.nanoTime() < until) {
            assertTrue(kv.keepAlive(lease));
            Thread.sleep(200);
        }
        assertTrue(kv.get("alive").isPresent());
    }

    @Test
    void revokingALeaseDeletesItsKeysAtOnce() {
        long lease = kv.grantLease(Duration.ofMinutes(1));
        kv.put("r/1", bytes("1"), lease);
        kv.put("r/2", bytes("2"), lease);
        kv.put("r/3", bytes("3"));
        long before = kv.currentRevision();
        kv.revokeLease(lease);
        assertEquals(List.of("r/3"), keys(kv.scanPrefix("r/")));
        assertEquals(before + 1, kv.currentRevision(), "one revision for the whole revocation");
        assertFalse(kv.keepAlive(lease));
    }

    @Test
    void aPutWithoutLeaseDetachesTheKey() {
        long lease = kv.grantLease(Duration.ofMinutes(1));
        kv.put("k", bytes("1"), lease);
        kv.put("k", bytes("2"));
        assertEquals(0, kv.get("k").orElseThrow().leaseId());
        kv.revokeLease(lease);
        assertTrue(kv.get("k").isPresent());
    }

    @Test
    void concurrentMutationsGetDistinctRevisions() throws Exception {
        int threads = 8;
        int perThread = 50;
        long start = kv.currentRevision();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<Long>>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                List<Long> revisions = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    revisions.add(kv.put("c/" + thread + "/" + i, bytes("v")));
                }
                return revisions;
            }));
        }
        Set<Long> all = new HashSet<>();
        for (Future<List<Long>> f : futures) {
            all.addAll(f.get());
        }
        pool.shutdown();
        assertEquals(threads * perThread, all.size());
        assertEquals(start + threads * perThread, kv.currentRevision());
        assertEquals(threads * perThread, kv.scanPrefix("c/").size());
    }

    @Test
    void dataAndRevisionsSurviveReopen() throws Exception {
        kv.put("keep/a", bytes("a"));
        kv.put("keep/b", bytes("b1"));
        kv.put("keep/b", bytes("b2"));
        kv.put("keep/c", bytes("c"));
        kv.delete("keep/c");
        kv.multiSaveAndRemove(Map.of("keep/d", bytes("d")), Set.of("keep/a"));
        List<KvEntry> before = kv.scanPrefix("keep/");
        long revision = kv.currentRevision();
        kv.close();
        kv = open(dir);
        assertEquals(revision, kv.currentRevision());
        List<KvEntry> after = kv.scanPrefix("keep/");
        assertEquals(keys(before), keys(after));
        for (int i = 0; i < before.size(); i++) {
            KvEntry b = before.get(i);
            KvEntry a = after.get(i);
            assertArrayEquals(b.value(), a.value());
            assertEquals(b.createRevision(), a.createRevision());
            assertEquals(b.modRevision(), a.modRevision());
            assertEquals(b.version(), a.version());
        }
        assertEquals(revision + 1, kv.put("keep/e", bytes("e")));
    }
}
