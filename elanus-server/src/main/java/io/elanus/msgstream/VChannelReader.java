package io.elanus.msgstream;

import com.google.protobuf.InvalidProtocolBufferException;
import io.elanus.proto.WalMessage;
import io.elanus.proto.WalMsgType;
import io.elanus.storage.wal.Wal;
import io.elanus.storage.wal.WalReader;
import io.elanus.storage.wal.WalRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads one vchannel out of its pchannel and releases messages only at time ticks: messages may
 * be appended slightly out of timestamp order between two ticks, so they are buffered, sorted
 * and handed out together once a tick promises nothing older can still come (Milvus's msgstream
 * time-tick barrier). Owned by one consumer thread.
 */
public final class VChannelReader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VChannelReader.class);

    private final String vchannel;
    private final WalReader reader;
    private final List<TickBatch.Entry> pending = new ArrayList<>();

    public VChannelReader(Wal wal, String vchannel, long fromOffset) {
        this.vchannel = vchannel;
        String pchannel = DmlChannels.pchannelOf(vchannel);
        this.reader = wal.openReader(pchannel, Math.max(fromOffset, wal.startOffset(pchannel)));
    }

    /** The next tick's batch, or null if no tick arrived within {@code timeout}. */
    public TickBatch next(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            WalRecord rec = reader.poll(Duration.ofNanos(left));
            if (rec == null) {
                return null;
            }
            WalMessage msg;
            try {
                msg = WalMessage.parseFrom(rec.payload());
            } catch (InvalidProtocolBufferException e) {
                LOG.error("skipping undecodable WAL record at {}", rec.position(), e);
                continue;
            }
            if (msg.getType() == WalMsgType.TIME_TICK) {
                List<TickBatch.Entry> batch = new ArrayList<>(pending);
                pending.clear();
                batch.sort(Comparator.comparingLong(e -> e.message().getTimestamp()));
                return new TickBatch(msg.getTimestamp(), batch, rec.position().offset() + 1);
            }
            if (vchannel.equals(msg.getVchannel())) {
                pending.add(new TickBatch.Entry(msg, rec.position().offset()));
            }
        }
    }

    /** The WAL offset of the next record this reader will fetch: records before it are no longer needed by it. */
    public long position() {
        return reader.nextOffset();
    }

    @Override
    public void close() {
        reader.close();
    }
}
