package io.elanus.storage.wal.kafka;

import io.elanus.storage.wal.WalPosition;
import io.elanus.storage.wal.WalReader;
import io.elanus.storage.wal.WalRecord;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;

import java.time.Duration;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * Reads one channel through a consumer of its own, assigned the channel's partition: no consumer
 * group, no committed offsets; the position comes from the caller. Owned by one thread;
 * {@link #wakeUp} is the only method another thread (the closing WAL) calls.
 */
final class KafkaWalReader implements WalReader {

    private final KafkaWal wal;
    private final String channel;
    private final TopicPartition partition;
    private final Consumer<byte[], byte[]> consumer;
    private final Duration timeout;
    /** Records of the last fetch not returned yet; may start below {@link #nextOffset} (see {@link #seekWithinTheChannel}). */
    private Iterator<ConsumerRecord<byte[], byte[]>> fetched = Collections.emptyIterator();
    private long nextOffset;
    private boolean closed;

    KafkaWalReader(KafkaWal wal, String channel, TopicPartition partition, Consumer<byte[], byte[]> consumer,
                   long fromOffset, Duration timeout) {
        this.wal = wal;
        this.channel = channel;
        this.partition = partition;
        this.consumer = consumer;
        this.timeout = timeout;
        this.nextOffset = fromOffset;
        consumer.assign(List.of(partition));
        consumer.seek(partition, fromOffset);
    }

    @Override
    public WalRecord poll(Duration wait) throws InterruptedException {
        if (closed) {
            throw new IllegalStateException("WAL reader closed");
        }
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            WalRecord record = nextFetched();
            if (record != null) {
                return record;
            }
            wal.ensureOpen();
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return null;
            }
            fetch(Duration.ofNanos(remaining));
        }
    }

    private WalRecord nextFetched() {
        while (fetched.hasNext()) {
            ConsumerRecord<byte[], byte[]> record = fetched.next();
            if (record.offset() < nextOffset) {
                continue;
            }
            if (record.offset() > nextOffset) {
                throw new IllegalStateException("WAL channel " + channel + ": expected offset " + nextOffset
                        + " but Kafka returned " + record.offset() + " (was the topic written transactionally or compacted?)");
            }
            nextOffset++;
            return new WalRecord(new WalPosition(channel, record.offset()), record.value());
        }
        return null;
    }

    private void fetch(Duration wait) throws InterruptedException {
        try {
            try {
                fetched = consumer.poll(wait).records(partition).iterator();
            } catch (OffsetOutOfRangeException e) {
                seekWithinTheChannel();
            }
        } catch (WakeupException e) {
            wal.ensureOpen(); // only closing the WAL wakes a reader, so this throws
        } catch (InterruptException e) {
            Thread.interrupted(); // Kafka set the flag again; the InterruptedException we throw stands for it
            throw (InterruptedException) new InterruptedException("interrupted while reading WAL channel " + channel).initCause(e);
        } catch (KafkaException e) {
            throw new KafkaWalException("Kafka WAL: reading channel " + channel + " at offset " + nextOffset + " failed: " + e, e);
        }
    }

    /**
     * Kafka cannot fetch below a partition's start or above its end. Below the start the records
     * were truncated: that fails. Above the end (a reader may be opened past the end) the reader
     * waits at the end, and {@link #nextFetched} skips records until it reaches {@link #nextOffset}.
     */
    private void seekWithinTheChannel() {
        long start = consumer.beginningOffsets(List.of(partition), timeout).get(partition);
        if (nextOffset < start) {
            throw new IllegalStateException("WAL channel " + channel + ": offset " + nextOffset
                    + " was truncated; the channel starts at " + start);
        }
        long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
        consumer.seek(partition, Math.min(nextOffset, end));
    }

    @Override
    public long nextOffset() {
        return nextOffset;
    }

    void wakeUp() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        wal.forget(this);
        consumer.close(CloseOptions.timeout(timeout));
    }
}
