package io.elanus.storage.kv.etcd;

import io.elanus.storage.kv.KvEvent;
import io.elanus.storage.kv.KvWatch;
import io.elanus.storage.kv.MetaKv;
import io.etcd.jetcd.Client;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store while its etcd is stopped: requests fail with {@link EtcdUnavailableException} after
 * the request timeout instead of hanging, and everything works again once etcd is back. The
 * {@link Timeout}s only guard against hangs.
 */
class EtcdMetaKvOutageTest {
    private static final EtcdMetaKv.Settings SHORT_TIMEOUTS =
            new EtcdMetaKv.Settings(Duration.ofSeconds(1), 1000, Duration.ofMillis(200));
    private static final AtomicInteger NEXT_ROOT = new AtomicInteger();
    private static EtcdTestServer etcd;

    @BeforeAll
    static void startEtcd() throws Exception {
        etcd = EtcdTestServer.startNew();
    }

    @AfterAll
    static void stopEtcd() throws Exception {
        etcd.close();
    }

    @AfterEach
    void restartEtcd() throws Exception {
        if (!etcd.isRunning()) {
            etcd.start();
        }
    }

    private static EtcdMetaKv connect() {
        return EtcdMetaKv.connect(List.of(etcd.endpoint()), "outage-" + NEXT_ROOT.incrementAndGet(), SHORT_TIMEOUTS);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** After a restart the connection may still be backing off; a caller retries, as this does. */
    private static long putOnceReachable(MetaKv kv, String key) {
        for (int attempt = 1; ; attempt++) {
            try {
                return kv.put(key, bytes(key));
            } catch (EtcdUnavailableException e) {
                if (attempt == 100) {
                    throw e;
                }
            }
        }
    }

    /**
     * A watch whose stream is down while etcd writes and then compacts away revisions it has not
     * received reads the prefix afresh and delivers the difference: changed and new keys as PUTs
     * (oldest first), vanished keys as DELETEs; a key created and deleted in the gap is never seen.
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aWatchThatMissedCompactedHistoryRescansAndDeliversTheDifference() throws Exception {
        // The watch resumes a broken stream only after 20 s: time to restart etcd, write and compact first.
        EtcdMetaKv.Settings slowResume = new EtcdMetaKv.Settings(Duration.ofSeconds(1), 1000, Duration.ofSeconds(20));
        try (EtcdMetaKv kv = EtcdMetaKv.connect(List.of(etcd.endpoint()), "outage-" + NEXT_ROOT.incrementAndGet(), slowResume)) {
            kv.put("w/kept", bytes("1"));
            kv.put("w/changed", bytes("1"));
            kv.put("w/removed", bytes("1"));
            BlockingQueue<KvEvent> events = new LinkedBlockingQueue<>();
            try (KvWatch ignored = kv.watchPrefix("w/", kv.currentRevision(), events::add)) {
                etcd.stop();
                etcd.start();
                long changed = putOnceReachable(kv, "w/changed");
                kv.delete("w/removed");
                long added = kv.put("w/added", bytes("a"));
                kv.put("w/transient", bytes("t"));
                kv.delete("w/transient");
                long last = kv.currentRevision();
                try (Client raw = Client.builder().endpoints("http://" + etcd.endpoint()).build()) {
                    raw.getKVClient().compact(last).get(10, TimeUnit.SECONDS);
                }

                KvEvent first = events.poll(90, TimeUnit.SECONDS);
                assertNotNull(first, "the watch rescans once its stream is back");
                assertEquals(KvEvent.Type.PUT, first.type());
                assertEquals("w/changed", first.entry().key());
                assertEquals(changed, first.entry().modRevision());
                KvEvent second = events.poll(10, TimeUnit.SECONDS);
                assertNotNull(second);
                assertEquals(KvEvent.Type.PUT, second.type());
                assertEquals("w/added", second.entry().key());
                assertEquals(added, second.entry().modRevision());
                KvEvent third = events.poll(10, TimeUnit.SECONDS);
                assertNotNull(third);
                assertEquals(KvEvent.Type.DELETE, third.type());
                assertEquals("w/removed", third.entry().key());
                assertTrue(third.entry().modRevision() >= last, "a rescanned deletion carries the rescan's revision");
                assertNull(events.poll(500, TimeUnit.MILLISECONDS), "nothing else: kept is unchanged, transient never existed for it");

                long later = kv.put("w/later", bytes("l"));
                KvEvent live = events.poll(30, TimeUnit.SECONDS);
                assertNotNull(live, "the watch streams again after the rescan");
                assertEquals("w/later", live.entry().key());
                assertEquals(later, live.entry().modRevision());
            }
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void requestsFailWhileEtcdIsDownAndAWatchResumesWithoutGapsOrRepeats() throws Exception {
        try (EtcdMetaKv kv = connect()) {
            long lease = kv.grantLease(Duration.ofMinutes(1));
            kv.put("w/before", bytes("1"), lease);
            BlockingQueue<KvEvent> events = new LinkedBlockingQueue<>();
            try (KvWatch ignored = kv.watchPrefix("w/", kv.currentRevision(), events::add)) {
                etcd.stop();

                assertThrows(EtcdUnavailableException.class, () -> kv.put("w/during", bytes("x")));
                assertThrows(EtcdUnavailableException.class, () -> kv.get("w/before"));
                assertThrows(EtcdUnavailableException.class, () -> kv.scanPrefix("w/"));
                assertThrows(EtcdUnavailableException.class, () -> kv.compareAndSwap("w/before", 1, bytes("x")));
                assertThrows(EtcdUnavailableException.class, () -> kv.multiSaveAndRemove(Map.of("w/m", bytes("x")), Set.of()));
                assertThrows(EtcdUnavailableException.class, () -> kv.keepAlive(lease));
                assertThrows(EtcdUnavailableException.class, () -> kv.watchPrefix("other/", 0, event -> { }));

                etcd.start();
                long revision = putOnceReachable(kv, "w/after");
                KvEvent resumed = events.poll(60, TimeUnit.SECONDS);
                assertNotNull(resumed, "the watch resumes once etcd is back");
                assertEquals("w/after", resumed.entry().key());
                assertEquals(revision, resumed.entry().modRevision());
                assertNull(events.poll(200, TimeUnit.MILLISECONDS), "nothing repeated");
            }
            assertTrue(kv.keepAlive(lease), "a lease survives an etcd restart shorter than its TTL");
            assertEquals(List.of("w/after", "w/before"), kv.scanPrefix("w/").stream().map(e -> e.key()).toList());
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void closingWhileEtcdIsDownReturns() throws Exception {
        EtcdMetaKv kv = connect();
        kv.grantLease(Duration.ofMinutes(1));
        KvWatch watch = kv.watchPrefix("c/", kv.currentRevision(), event -> { });
        etcd.stop();
        kv.close();
        watch.close();
        assertThrows(IllegalStateException.class, () -> kv.get("c/1"));
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void connectingToAnEndpointWithoutEtcdFails() throws Exception {
        int unused;
        try (ServerSocket socket = new ServerSocket(0)) {
            unused = socket.getLocalPort();
        }
        assertThrows(EtcdUnavailableException.class,
                () -> EtcdMetaKv.connect(List.of("127.0.0.1:" + unused), "nowhere", SHORT_TIMEOUTS));
    }
}
