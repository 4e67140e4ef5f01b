package io.elanus.querynode;

import io.elanus.api.QuerySpec;

import io.elanus.server.AllTypes;
import io.elanus.server.Await;
import io.elanus.common.MilvusError;
import io.elanus.common.MilvusException;
import io.elanus.proto.CollectionInfo;
import io.elanus.proto.InsertBody;
import io.elanus.proto.PartitionInfo;
import io.elanus.proto.WalMessage;
import io.elanus.proto.WalMsgType;
import io.elanus.storage.kv.EmbeddedMetaKv;
import io.elanus.storage.object.LocalObjectStore;
import io.elanus.storage.wal.EmbeddedWal;
import io.elanus.storage.wal.Wal;
import io.elanus.storage.wal.WalPosition;
import io.elanus.storage.wal.WalReader;
import io.elanus.storage.wal.WalRecord;
import io.elanus.testkit.Seed;
import io.elanus.testkit.Seeds;
import io.milvus.grpc.CollectionSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A shard delegator whose WAL cannot be read keeps retrying instead of stopping: while the outage
 * lasts the node reports the channel as a fault and reads needing a newer tsafe fail at once with
 * "channel not available", reads within the tsafe are answered; once the WAL reads again it goes on
 * from where it was, without losing or doubling a row, and the fault is gone.
 */
@ExtendWith(Seeds.class)
class DelegatorOutageTest {
    private static final String PCHANNEL = "by-dev-rootcoord-dml_0";
    private static final String VCHANNEL = PCHANNEL + "_1v0";
    private static final long PARTITION = 10;
    private static final long TIMEOUT_MS = 60_000;
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final CollectionSchema SCHEMA = AllTypes.storedSchema("c");
    private static final CollectionInfo COLLECTION = CollectionInfo.newBuilder().setId(1).setSchema(SCHEMA)
            .addVchannels(VCHANNEL).addPchannels(PCHANNEL)
            .addPartitions(PartitionInfo.newBuilder().setId(PARTITION).setName("_default")).build();

    @TempDir
    Path dir;
    private EmbeddedMetaKv kv;
    private EmbeddedWal wal;
    private LocalObjectStore objects;
    private QueryNode node;
    /** While set, the WAL as the query node sees it fails every open and read. */
    private volatile boolean outage;

    @BeforeEach
    void start() {
        kv = EmbeddedMetaKv.open(dir.resolve("meta"));
        wal = EmbeddedWal.open(dir.resolve("wal"));
        objects = new LocalObjectStore(dir.resolve("objects"));
        node = new QueryNode(5, kv, new FlakyWal(wal), objects, dir.resolve("cache"));
        node.init();
        node.start();
    }

    @AfterEach
    void stop() {
        node.stop();
        objects.close();
        wal.close();
        kv.close();
    }

    @Test
    void anUnreadableWalIsRetriedReportedAndFailsNewerReadsUntilItReadsAgain(Seed seed) throws Exception {
        insert(0, 10, 100, seed);
        tick(200);
        node.watchChannel(COLLECTION, VCHANNEL, 0, List.of());
        assertEquals(10, count(200));

        outage = true;
        await(() -> !node.activeFaults().isEmpty(), "the stuck channel is reported");
        String fault = node.activeFaults().getFirst();
        assertTrue(fault.contains(VCHANNEL) && fault.contains("WAL unreadable"), fault);

        MilvusException e = assertThrows(MilvusException.class, () -> count(300));
        assertEquals(MilvusError.CHANNEL_NOT_AVAILABLE, e.kind());
        assertTrue(e.getMessage().contains("channel not available[channel=" + VCHANNEL + "]"), e.getMessage());
        assertTrue(e.getMessage().contains("WAL unreadable"), e.getMessage());
        assertEquals(10, count(200), "data within the tsafe is still answered");

        insert(10, 5, 250, seed);
        tick(300);
        outage = false;
        await(() -> node.activeFaults().isEmpty(), "the fault clears");
        assertEquals(15, count(300), "it goes on from where it was: no row lost or doubled");
    }

    private long count(long guaranteeTs) {
        return node.count(VCHANNEL, new QuerySpec(null, Set.of(), -1, guaranteeTs, Set.of()), TIMEOUT_MS);
    }

    private void insert(int first, int rows, long ts, Seed seed) {
        wal.append(PCHANNEL, WalMessage.newBuilder().setType(WalMsgType.INSERT).setTimestamp(ts).setVchannel(VCHANNEL)
                .setCollectionId(COLLECTION.getId()).setPartitionId(PARTITION).setSegmentId(1000)
                .setInsert(InsertBody.newBuilder().setNumRows(rows).addAllFieldsData(AllTypes.rows(first, rows, seed.derive(first))))
                .build().toByteArray());
    }

    private void tick(long ts) {
        wal.append(PCHANNEL, WalMessage.newBuilder().setType(WalMsgType.TIME_TICK).setTimestamp(ts).build().toByteArray());
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Await.until(condition, WAIT, what);
    }

    /** The WAL with an outage switch: opening or reading a channel fails while {@link #outage} is set. */
    private final class FlakyWal implements Wal {
        private final Wal wal;

        FlakyWal(Wal wal) {
            this.wal = wal;
        }

        private void check() {
            if (outage) {
                throw new IllegalStateException("WAL unreadable: injected outage");
            }
        }

        @Override
        public WalPosition append(String channel, byte[] payload) {
            return wal.append(channel, payload);
        }

        @Override
        public WalReader openReader(String channel, long fromOffset) {
            check();
            WalReader reader = wal.openReader(channel, fromOffset);
            return new WalReader() {
                @Override
                public WalRecord poll(Duration timeout) throws InterruptedException {
                    check();
                    return reader.poll(timeout);
                }

                @Override
                public long nextOffset() {
                    return reader.nextOffset();
                }

                @Override
                public void close() {
                    reader.close();
                }
            };
        }

        @Override
        public long endOffset(String channel) {
            return wal.endOffset(channel);
        }

        @Override
        public void truncateBefore(String channel, long offset) {
            wal.truncateBefore(channel, offset);
        }

        @Override
        public long startOffset(String channel) {
            return wal.startOffset(channel);
        }

        @Override
        public Set<String> channels() {
            return wal.channels();
        }

        @Override
        public void close() {
        }
    }
}
