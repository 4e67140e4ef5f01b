package io.elanus.storage.wal.kafka;

import io.elanus.storage.wal.Wal;
import io.elanus.storage.wal.WalConformanceTest;
import io.elanus.storage.wal.WalReader;
import io.elanus.storage.wal.WalRecord;
import io.elanus.testkit.Seed;
import io.elanus.testkit.Seeds;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The WAL contract on a real broker started once for the class; each test's directory maps to its own topic prefix. */
@ExtendWith(Seeds.class)
class KafkaWalTest extends WalConformanceTest {

    @TempDir
    static Path brokerDir;
    private static KafkaTestBroker broker;
    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static final Map<Path, String> PREFIX_BY_DIR = new ConcurrentHashMap<>();

    @BeforeAll
    static void startBroker() throws IOException {
        broker = KafkaTestBroker.start(brokerDir);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Override
    protected Wal open(Path dir) {
        return new KafkaWal(KafkaWalConfig.of(broker.bootstrapServers(),
                PREFIX_BY_DIR.computeIfAbsent(dir, d -> uniquePrefix())));
    }

    private static String uniquePrefix() {
        return "wal" + PREFIXES.incrementAndGet() + "-";
    }

    @Test
    void truncationMovesTheStartExactlyAndReadersBelowItAreRefused() throws Exception {
        appendNumbered("ch", 0, 100);
        wal.truncateBefore("ch", 40);
        assertEquals(40, wal.startOffset("ch"));
        assertThrows(IllegalArgumentException.class, () -> wal.openReader("ch", 39));
        assertReadsNumbered("ch", 40, 100);
    }

    @Test
    void aReaderWhosePositionIsTruncatedFailsInsteadOfSkippingRecords() {
        appendNumbered("ch", 0, 100);
        try (WalReader reader = wal.openReader("ch", 10)) {
            wal.truncateBefore("ch", 50);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> reader.poll(LONG));
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
    }

    @Test
    void truncatingPastTheEndEmptiesTheChannelAndAppendsContinue() throws Exception {
        appendNumbered("ch", 0, 10);
        wal.truncateBefore("ch", 1_000);
        assertEquals(10, wal.startOffset("ch"));
        assertEquals(10, wal.endOffset("ch"));
        appendNumbered("ch", 10, 15);
        assertReadsNumbered("ch", 10, 15);
    }

    @Test
    void recordsAboveTheBrokersDefaultMessageLimitRoundTrip(Seed seed) throws Exception {
        byte[] big = new byte[3 << 20];
        seed.random(7).nextBytes(big);
        assertEquals(0, wal.append("big", big).offset());
        try (WalReader reader = wal.openReader("big", 0)) {
            WalRecord record = reader.poll(LONG);
            assertNotNull(record);
            assertArrayEquals(big, record.payload());
        }
    }

    @Test
    void channelsAreOnlyTheTopicsUnderTheWalsPrefix() {
        try (Wal other = new KafkaWal(KafkaWalConfig.of(broker.bootstrapServers(), uniquePrefix()))) {
            other.append("theirs", bytes("x"));
            appendNumbered("ours", 0, 1);
            assertEquals(Set.of("theirs"), other.channels());
            assertEquals(Set.of("ours"), wal.channels());
            assertEquals(0, wal.endOffset("theirs"));
        }
    }

    @Test
    void closingTheWalFailsAReaderBlockedInPoll() throws Exception {
        WalReader reader = wal.openReader("ch", 0);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread poller = Thread.ofPlatform().start(() -> {
            try {
                reader.poll(LONG);
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        wal.close();
        poller.join();
        assertInstanceOf(IllegalStateException.class, failure.get());
        reader.close();
        wal = open(dir);
    }

    @Test
    void anUnreachableBrokerFailsCallsInsteadOfHanging() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        KafkaWalConfig config = KafkaWalConfig.of("127.0.0.1:" + closedPort, "x-").withTimeout(KafkaWalConfig.MIN_TIMEOUT);
        try (Wal unreachable = new KafkaWal(config)) {
            assertThrows(KafkaWalException.class, () -> unreachable.append("ch", bytes("x")));
            assertThrows(KafkaWalException.class, () -> unreachable.endOffset("ch"));
            assertThrows(KafkaWalException.class, unreachable::channels);
        }
    }
}
