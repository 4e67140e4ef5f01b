package io.elanus.datanode;

import io.elanus.api.DataCoordClient;
import io.elanus.proto.ChannelWatchInfo;
import io.elanus.proto.InsertBody;
import io.elanus.proto.SegmentMeta;
import io.elanus.proto.SegmentStateInternal;
import io.elanus.proto.WalMessage;
import io.elanus.proto.WalMsgType;
import io.elanus.proto.WalPositionPb;
import io.elanus.server.Await;
import io.elanus.storage.wal.EmbeddedWal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A flow graph reports its buffered rows once per tick batch, only the segments that changed, and a failed report goes with the next. */
class BufferedRowsReportTest {
    private static final String PCHANNEL = "dml_0";
    private static final String VCHANNEL = "dml_0_7v0";

    @TempDir
    Path dir;

    /** Every report datacoord received, in order. */
    private final List<Map<Long, Long>> reports = new CopyOnWriteArrayList<>();
    private final AtomicBoolean failNextReport = new AtomicBoolean();
    private final AtomicInteger replays = new AtomicInteger();

    private DataCoordClient dataCoord() {
        return (DataCoordClient) Proxy.newProxyInstance(DataCoordClient.class.getClassLoader(),
                new Class<?>[]{DataCoordClient.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "channelCheckpoint" -> {
                        replays.incrementAndGet();
                        yield WalPositionPb.newBuilder().setChannel(PCHANNEL).build();
                    }
                    case "segments" -> List.of();
                    case "segment" -> Optional.of(SegmentMeta.newBuilder().setId((long) args[0]).setCollectionId(7)
                            .setVchannel(VCHANNEL).setState(SegmentStateInternal.GROWING).build());
                    case "reportBufferedRows" -> {
                        if (failNextReport.getAndSet(false)) {
                            throw new IllegalStateException("datacoord unreachable");
                        }
                        @SuppressWarnings("unchecked")
                        Map<Long, Long> rows = (Map<Long, Long>) args[0];
                        reports.add(new TreeMap<>(rows));
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static byte[] tick(long ts) {
        return WalMessage.newBuilder().setType(WalMsgType.TIME_TICK).setTimestamp(ts).build().toByteArray();
    }

    private static byte[] insertOneRow(long segment, long ts) {
        return WalMessage.newBuilder().setType(WalMsgType.INSERT).setTimestamp(ts).setVchannel(VCHANNEL)
                .setCollectionId(7).setPartitionId(1).setSegmentId(segment)
                .setInsert(InsertBody.newBuilder().setNumRows(1)).build().toByteArray();
    }

    private void awaitReports(int n) throws InterruptedException {
        Await.until(() -> reports.size() >= n, Duration.ofSeconds(60), n + " reports");
    }

    @Test
    void oneReportPerTickBatchWithTheSegmentsThatChanged() throws Exception {
        try (EmbeddedWal wal = EmbeddedWal.open(dir)) {
            ChannelWatchInfo watch = ChannelWatchInfo.newBuilder().setVchannel(VCHANNEL).setPchannel(PCHANNEL)
                    .setCollectionId(7).build();
            DataCoordClient dataCoord = dataCoord();
            // No idle checkpoint during the test: datacoord is asked for nothing else.
            DataSyncService sync = new DataSyncService(watch, wal, null, dataCoord, null, new ChannelFaults(dataCoord),
                    Duration.ofDays(1));
            sync.start();
            try {
                long ts = 10;
                for (int i = 0; i < 10; i++) {
                    wal.append(PCHANNEL, insertOneRow(42, ts++));
                }
                for (int i = 0; i < 5; i++) {
                    wal.append(PCHANNEL, insertOneRow(43, ts++));
                }
                wal.append(PCHANNEL, tick(100));
                awaitReports(1);
                assertEquals(List.of(Map.of(42L, 10L, 43L, 5L)), reports, "fifteen inserts, one report");

                wal.append(PCHANNEL, tick(110)); // nothing buffered changed: no report
                for (int i = 0; i < 3; i++) {
                    wal.append(PCHANNEL, insertOneRow(42, 111 + i));
                }
                wal.append(PCHANNEL, tick(120));
                awaitReports(2);
                assertEquals(Map.of(42L, 13L), reports.get(1), "only the segment that changed");

                failNextReport.set(true);
                wal.append(PCHANNEL, insertOneRow(43, 121));
                wal.append(PCHANNEL, tick(130));
                wal.append(PCHANNEL, insertOneRow(42, 131));
                wal.append(PCHANNEL, tick(140));
                awaitReports(3);
                assertEquals(Map.of(42L, 14L, 43L, 6L), reports.get(2), "the failed report's segment goes with the next one");
                assertEquals(3, reports.size(), reports.toString());
                assertEquals(1, replays.get(), "a failed report does not replay the channel");
            } finally {
                sync.close();
            }
        }
    }
}
