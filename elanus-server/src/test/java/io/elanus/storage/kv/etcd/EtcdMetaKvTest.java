package io.elanus.storage.kv.etcd;

import io.elanus.storage.kv.HistoryCompactedException;
import io.elanus.storage.kv.KvEntry;
import io.elanus.storage.kv.KvEvent;
import io.elanus.storage.kv.KvWatch;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the conformance suite cannot see: the etcd layout, paging, compaction and lease ownership. */
class EtcdMetaKvTest {
    private static final AtomicInteger NEXT_ROOT = new AtomicInteger();
    private static EtcdTestServer etcd;
    private static Client raw;

    @BeforeAll
    static void startEtcd() throws Exception {
        etcd = EtcdTestServer.startNew();
        raw = Client.builder().endpoints("http://" + etcd.endpoint()).build();
    }

    @AfterAll
    static void stopEtcd() throws Exception {
        raw.close();
        etcd.close();
    }

    private static String newRoot() {
        return "test-" + NEXT_ROOT.incrementAndGet();
    }

    private static EtcdMetaKv connect(String root) {
        return EtcdMetaKv.connect(List.of(etcd.endpoint()), root);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<KeyValue> rawScan(String prefix) throws Exception {
        ByteSequence key = ByteSequence.from(prefix, StandardCharsets.UTF_8);
        return raw.getKVClient().get(key, io.etcd.jetcd.options.GetOption.builder().isPrefix(true).build())
                .get(10, TimeUnit.SECONDS).getKvs();
    }

    /** Collects a watch's events. */
    private static final class Events {
        final BlockingQueue<KvEvent> queue = new LinkedBlockingQueue<>();

        KvEvent next() throws InterruptedException {
            KvEvent event = queue.poll(10, TimeUnit.SECONDS);
            assertNotNull(event, "expected an event");
            return event;
        }
    }

    @Test
    void keysLiveUnderRootPathMetaAndRootsAreIsolated() throws Exception {
        String root = newRoot();
        try (EtcdMetaKv kv = connect(root + "/"); EtcdMetaKv other = connect(newRoot())) {
            long revision = kv.put("a/b", bytes("v"));
            other.put("a/b", bytes("theirs"));

            List<KeyValue> stored = rawScan(root + "/");
            assertEquals(1, stored.size());
            assertEquals(root + "/meta/a/b", stored.getFirst().getKey().toString(StandardCharsets.UTF_8));
            assertEquals(revision, stored.getFirst().getModRevision());

            assertEquals(List.of("a/b"), kv.scanPrefix("").stream().map(KvEntry::key).toList());
            assertEquals(1, other.deletePrefix(""));
            assertEquals("v", new String(kv.get("a/b").orElseThrow().value(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void endpointsAcceptMilvusHostPortAndUrls() {
        try (EtcdMetaKv kv = EtcdMetaKv.connect(List.of("http://" + etcd.endpoint(), etcd.endpoint()), newRoot())) {
            assertEquals(kv.currentRevision() + 1, kv.put("k", bytes("v")));
        }
        assertThrows(IllegalArgumentException.class, () -> EtcdMetaKv.connect(List.of("https://" + etcd.endpoint()), newRoot()));
        assertThrows(IllegalArgumentException.class, () -> EtcdMetaKv.connect(List.of(etcd.endpoint()), "/"));
    }

    @Test
    void scanPrefixPagesThroughLargePrefixesInKeyOrder() {
        EtcdMetaKv.Settings smallPages = new EtcdMetaKv.Settings(Duration.ofSeconds(10), 7, Duration.ofSeconds(1));
        try (EtcdMetaKv kv = EtcdMetaKv.connect(List.of(etcd.endpoint()), newRoot(), smallPages)) {
            Map<String, byte[]> puts = new HashMap<>();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                String key = String.format("p/%03d", i);
                puts.put(key, bytes(key));
                expected.add(key);
            }
            puts.put("p", bytes("just the prefix itself, outside 'p/'"));
            puts.put("q/0", bytes("after the prefix"));
            kv.multiSaveAndRemove(puts, Set.of());

            List<KvEntry> scanned = kv.scanPrefix("p/");
            assertEquals(expected, scanned.stream().map(KvEntry::key).toList());
            for (KvEntry entry : scanned) {
                assertArrayEquals(bytes(entry.key()), entry.value());
            }
            assertEquals(52, kv.scanPrefix("").size());
        }
    }

    @Test
    void aWatchReplaysAndStreamsManyEventsInRevisionOrder() throws Exception {
        try (EtcdMetaKv kv = connect(newRoot())) {
            long start = kv.currentRevision();
            Events live = new Events();
            int batches = 40;
            int perBatch = 100;
            int singles = 300;
            try (KvWatch ignored = kv.watchPrefix("m/", start, live.queue::add)) {
                for (int b = 0; b < batches; b++) {
                    Map<String, byte[]> puts = new HashMap<>();
                    for (int i = 0; i < perBatch; i++) {
                        puts.put("m/" + b + "/" + i, new byte[1024]);
                    }
                    kv.multiSaveAndRemove(puts, Set.of());
                }
                for (int i = 0; i < singles; i++) {
                    kv.put("m/single/" + (i % 20), bytes(Integer.toString(i)));
                }
                assertRevisionOrder(live, batches * perBatch + singles, kv.currentRevision());
            }
            Events replayed = new Events();
            try (KvWatch ignored = kv.watchPrefix("m/", start, replayed.queue::add)) {
                assertRevisionOrder(replayed, batches * perBatch + singles, kv.currentRevision());
            }
        }
    }

    private static void assertRevisionOrder(Events events, int count, long lastRevision) throws InterruptedException {
        long previous = 0;
        for (int i = 0; i < count; i++) {
            long revision = events.next().entry().modRevision();
            assertTrue(revision >= previous, "revisions must not go back");
            previous = revision;
        }
        assertEquals(lastRevision, previous);
        assertNull(events.queue.poll(200, TimeUnit.MILLISECONDS), "no event beyond the mutations");
    }

    @Test
    void watchingFromACompactedRevisionThrowsHistoryCompacted() throws Exception {
        try (EtcdMetaKv kv = connect(newRoot())) {
            long first = kv.put("h/1", bytes("1"));
            kv.put("h/2", bytes("2"));
            long third = kv.put("h/3", bytes("3"));
            raw.getKVClient().compact(third).get(10, TimeUnit.SECONDS);

            HistoryCompactedException thrown = assertThrows(HistoryCompactedException.class,
                    () -> kv.watchPrefix("h/", first, event -> { }));
            assertTrue(thrown.getMessage().contains("before revision " + third), thrown.getMessage());

            Events events = new Events();
            try (KvWatch ignored = kv.watchPrefix("h/", third - 1, events.queue::add)) {
                KvEvent event = events.next();
                assertEquals("h/3", event.entry().key());
                assertEquals(third, event.entry().modRevision());
            }
        }
    }

    @Test
    void closingAStoreRevokesItsLeasesAndOthersSeeTheKeysGo() throws Exception {
        String root = newRoot();
        try (EtcdMetaKv observer = connect(root)) {
            EtcdMetaKv owner = connect(root);
            long lease = owner.grantLease(Duration.ofMinutes(1));
            owner.put("session/node-1", bytes("addr"), lease);
            assertEquals(lease, observer.get("session/node-1").orElseThrow().leaseId());
            Events events = new Events();
            try (KvWatch ignored = observer.watchPrefix("session/", observer.currentRevision(), events.queue::add)) {
                owner.close();
                KvEvent event = events.next();
                assertEquals(KvEvent.Type.DELETE, event.type());
                assertEquals("session/node-1", event.entry().key());
            }
            assertTrue(observer.get("session/node-1").isEmpty());
            assertThrows(io.elanus.storage.kv.LeaseNotFoundException.class,
                    () -> observer.put("session/node-2", bytes("x"), lease));
        }
    }
}
