package io.elanus.datacoord;

import io.elanus.proto.ChannelWatchInfo;
import io.elanus.proto.ChannelWatchState;
import io.elanus.proto.CollectionInfo;
import io.elanus.proto.WalPositionPb;
import io.elanus.storage.kv.EmbeddedMetaKv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The channel-watch keys when a datanode's session expires: its channels move to live nodes, resuming at the checkpoint. */
class ChannelReassignmentTest {
    @TempDir
    Path dir;

    @Test
    void channelsOfADeadNodeMoveToTheLeastLoadedLiveNodeWithTheirCheckpointAndPendingFlush() {
        try (EmbeddedMetaKv kv = EmbeddedMetaKv.open(dir)) {
            ChannelManager channels = new ChannelManager(kv);
            channels.addDataNode(1);
            channels.addDataNode(2);
            CollectionInfo c = CollectionInfo.newBuilder().setId(7).build();
            WalPositionPb start = WalPositionPb.newBuilder().setChannel("p0").setOffset(0).build();
            for (String v : List.of("v0", "v1", "v2", "v3")) {
                channels.watch(c, v, "p0", start);
            }
            assertEquals(2, kv.scanPrefix(ChannelManager.WATCH_PREFIX + "1/").size());
            assertEquals(2, kv.scanPrefix(ChannelManager.WATCH_PREFIX + "2/").size());

            channels.removeDataNode(1);
            List<String> moved = channels.reassignOrphans(Set.of(2L),
                    v -> WalPositionPb.newBuilder().setChannel("p0").setOffset(40).build(), v -> 99L);

            assertEquals(2, moved.size());
            assertTrue(kv.scanPrefix(ChannelManager.WATCH_PREFIX + "1/").isEmpty());
            assertEquals(4, kv.scanPrefix(ChannelManager.WATCH_PREFIX + "2/").size());
            for (String v : List.of("v0", "v1", "v2", "v3")) {
                ChannelWatchInfo info = channels.watchInfo(v).orElseThrow();
                assertEquals(2, info.getNodeId());
            }
            long resumed = kv.scanPrefix(ChannelManager.WATCH_PREFIX + "2/").stream()
                    .map(e -> ChannelManager.parse(e.value()))
                    .filter(i -> i.getSeekPosition().getOffset() == 40 && i.getPendingFlushTs() == 99
                            && i.getState() == ChannelWatchState.TO_WATCH)
                    .count();
            assertEquals(2, resumed);
        }
    }

    @Test
    void nothingMovesWhileNoLiveDatanodeIsRegistered() {
        try (EmbeddedMetaKv kv = EmbeddedMetaKv.open(dir)) {
            ChannelManager channels = new ChannelManager(kv);
            channels.addDataNode(1);
            channels.watch(CollectionInfo.newBuilder().setId(7).build(), "v0", "p0", WalPositionPb.getDefaultInstance());
            channels.removeDataNode(1);
            assertTrue(channels.reassignOrphans(Set.of(), v -> WalPositionPb.getDefaultInstance(), v -> 0L).isEmpty());
            assertEquals(1, channels.watchInfo("v0").orElseThrow().getNodeId());
        }
    }
}
