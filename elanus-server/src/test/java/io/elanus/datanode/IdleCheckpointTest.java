package io.elanus.datanode;

import io.elanus.server.Await;
import io.elanus.api.DataCoordClient;
import io.elanus.proto.ChannelWatchInfo;
import io.elanus.proto.InsertBody;
import io.elanus.proto.SegmentMeta;
import io.elanus.proto.SegmentStateInternal;
import io.elanus.proto.WalMessage;
import io.elanus.proto.WalMsgType;
import io.elanus.proto.WalPositionPb;
import io.elanus.storage.wal.EmbeddedWal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A channel's checkpoint follows its time ticks while nothing is buffered, so a restart does not
 * replay the ticks of an idle channel, and stays before any buffered insert, which is not yet persisted.
 */
class IdleCheckpointTest {
    private static final String PCHANNEL = "dml_0";
    private static final String VCHANNEL = "dml_0_7v0";

    @TempDir
    Path dir;

    private final List<WalPositionPb> saved = new CopyOnWriteArrayList<>();
    private final AtomicLong bufferedRows = new AtomicLong();

    /** Datacoord as the flow graph sees it: one growing segment (42), checkpoints recorded. */
    private DataCoordClient dataCoord() {
        return (DataCoordClient) Proxy.newProxyInstance(DataCoordClient.class.getClassLoader(),
                new Class<?>[]{DataCoordClient.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "channelCheckpoint" -> saved.isEmpty()
                            ? WalPositionPb.newBuilder().setChannel(PCHANNEL).build() : saved.getLast();
                    case "saveFlushResult" -> {
                        assertEquals(List.of(), args[1], "an idle checkpoint flushes no segment");
                        saved.add((WalPositionPb) args[2]);
                        yield null;
                    }
                    case "segments" -> List.of();
                    case "segment" -> Optional.of(SegmentMeta.newBuilder().setId((long) args[0]).setCollectionId(7)
                            .setVchannel(VCHANNEL).setState(SegmentStateInternal.GROWING).build());
                    case "reportBufferedRows" -> {
                        bufferedRows.set(((Map<?, ?>) args[0]).get(42L) instanceof Long rows ? rows : bufferedRows.get());
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static byte[] tick(long ts) {
        return WalMessage.newBuilder().setType(WalMsgType.TIME_TICK).setTimestamp(ts).build().toByteArray();
    }

    private static byte[] insertOneRow(long ts) {
        return WalMessage.newBuilder().setType(WalMsgType.INSERT).setTimestamp(ts).setVchannel(VCHANNEL)
                .setCollectionId(7).setPartitionId(1).setSegmentId(42)
                .setInsert(InsertBody.newBuilder().setNumRows(1)).build().toByteArray();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Await.until(condition, Duration.ofSeconds(60), what);
    }

    @Test
    void anIdleChannelsCheckpointFollowsItsTicksButNeverPassesABufferedInsert() throws Exception {
        try (EmbeddedWal wal = EmbeddedWal.open(dir)) {
            ChannelWatchInfo watch = ChannelWatchInfo.newBuilder().setVchannel(VCHANNEL).setPchannel(PCHANNEL)
                    .setCollectionId(7).build();
            DataCoordClient dataCoord = dataCoord();
            DataSyncService sync = new DataSyncService(watch, wal, null, dataCoord, null, new ChannelFaults(dataCoord),
                    Duration.ZERO);
            sync.start();
            try {
                wal.append(PCHANNEL, tick(10));
                wal.append(PCHANNEL, tick(20));
                wal.append(PCHANNEL, tick(30));
                await(() -> !saved.isEmpty() && saved.getLast().getOffset() == 3, "the checkpoint reached the third tick");
                assertEquals(30, saved.getLast().getTimestamp());
                assertEquals(PCHANNEL, saved.getLast().getChannel());

                wal.append(PCHANNEL, insertOneRow(35)); // offset 3
                wal.append(PCHANNEL, tick(40));
                wal.append(PCHANNEL, insertOneRow(45));
                wal.append(PCHANNEL, tick(50));
                wal.append(PCHANNEL, insertOneRow(55));
                wal.append(PCHANNEL, tick(60));
                // The third insert is applied after the batches of ticks 40 and 50 were done with.
                await(() -> bufferedRows.get() == 3, "three buffered rows reported");
                assertEquals(3, saved.getLast().getOffset(), "the checkpoint stays before the first buffered insert");
                assertEquals(30, saved.getLast().getTimestamp());
            } finally {
                sync.close();
            }
        }
    }
}
