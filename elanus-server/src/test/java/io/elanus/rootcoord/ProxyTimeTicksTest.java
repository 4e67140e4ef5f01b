package io.elanus.rootcoord;

import io.elanus.proto.WalMessage;
import io.elanus.storage.wal.EmbeddedWal;
import io.elanus.storage.wal.WalReader;
import io.elanus.storage.wal.WalRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** With several proxies, a tick never passes a timestamp some live proxy may still write below. */
class ProxyTimeTicksTest {
    @TempDir
    Path dir;

    @Test
    void ticksFollowTheSlowestLiveProxy() throws Exception {
        try (EmbeddedWal wal = EmbeddedWal.open(dir)) {
            ProxyTimeTicks ticks = new ProxyTimeTicks(wal, () -> Set.of("dml_0", "dml_1"), 1);
            ticks.report(10, 100);
            ticks.report(11, 50);   // a proxy joins below the last tick: nothing new can be promised
            ticks.report(11, 150);  // min = 100: not above the last tick, nothing written
            ticks.report(10, 180);  // min = 150
            ticks.proxyGone(11);    // only proxy 10 is left: 180
            ticks.proxyGone(10);    // nobody left: no tick
            assertEquals(List.of(100L, 150L, 180L), ticksIn(wal, "dml_0"));
            assertEquals(List.of(100L, 150L, 180L), ticksIn(wal, "dml_1"));
        }
    }

    private static List<Long> ticksIn(EmbeddedWal wal, String channel) throws Exception {
        List<Long> out = new ArrayList<>();
        try (WalReader reader = wal.openReader(channel, 0)) {
            WalRecord r;
            while ((r = reader.poll(Duration.ofMillis(50))) != null) {
                out.add(WalMessage.parseFrom(r.payload()).getTimestamp());
            }
        }
        return out;
    }
}
