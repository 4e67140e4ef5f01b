package io.elanus.session;

import io.elanus.proto.SessionInfo;
import io.elanus.server.Await;
import io.elanus.storage.kv.EmbeddedMetaKv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Service discovery reports session changes to its listeners on its own thread, coalesced: a
 * listener that falls behind later hears the difference between what it heard and what is live,
 * not every change queued up meanwhile.
 */
class ServiceDiscoveryTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Duration TTL = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void aSlowListenerHearsWhatChangedNotEveryChange() throws Exception {
        try (EmbeddedMetaKv kv = EmbeddedMetaKv.open(dir); ServiceDiscovery discovery = ServiceDiscovery.start(kv)) {
            CountDownLatch busy = new CountDownLatch(1);
            List<String> heard = new CopyOnWriteArrayList<>();
            discovery.addListener(new ServiceDiscovery.Listener() {
                @Override
                public void sessionAdded(SessionInfo session) {
                    heard.add("+" + session.getServerId());
                    if (session.getServerId() == 1) {
                        awaitQuietly(busy);
                    }
                }

                @Override
                public void sessionRemoved(SessionInfo session) {
                    heard.add("-" + session.getServerId());
                }
            });
            Session first = Session.register(kv, "querynode", 1, "a:1", TTL);
            Await.until(() -> heard.contains("+1"), PATIENCE, "the listener hears of the first session");

            // While the listener is busy: one session comes and goes, another comes, the first goes.
            Session.register(kv, "querynode", 2, "a:2", TTL).close();
            Session third = Session.register(kv, "querynode", 3, "a:3", TTL);
            first.close();
            Await.until(() -> discovery.sessions("querynode").stream().map(SessionInfo::getServerId).toList().equals(List.of(3L)),
                    PATIENCE, "discovery follows the sessions meanwhile");

            busy.countDown();
            Await.until(() -> heard.size() >= 3, PATIENCE, "the listener catches up");
            assertEquals(List.of("+1", "+3", "-1"), heard, "session 2 came and went unheard; the rest in the order it changed");
            third.close();
            Await.until(() -> heard.contains("-3"), PATIENCE, "later changes are heard as they come");
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
