package io.elanus.storage.wal.kafka;

import io.elanus.storage.wal.Wal;
import io.elanus.storage.wal.WalPosition;
import io.elanus.storage.wal.WalReader;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cluster-mode WAL on Apache Kafka. Channel {@code c} is the single partition of topic
 * {@code <prefix>c}, and a record's offset is its Kafka offset: dense, because the producer is
 * idempotent (a retried batch is not written twice) and not transactional (no control records), and
 * topics are never compacted.
 *
 * <p>{@link #append} returns once every in-sync replica holds the record (acks=all). One producer
 * serves every thread, so concurrent appends share produce requests. Topics are created on first
 * append or reader, with no retention limit: records go only through {@link #truncateBefore}, which
 * moves the channel's start exactly to the given offset (Kafka's DeleteRecords).
 *
 * <p>Every call to Kafka is bounded by the configured timeout and fails with a {@link KafkaWalException}.
 * {@link #close} wakes readers blocked in {@link WalReader#poll}, which then fail with
 * {@link IllegalStateException}; their owners still close them.
 */
public final class KafkaWal implements Wal {

    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final KafkaWalConfig config;
    private final String clientId;
    private final Producer<byte[], byte[]> producer;
    private final Admin admin;
    private final KafkaChannelTopics topics;
    private final Set<KafkaWalReader> readers = ConcurrentHashMap.newKeySet();
    private final AtomicInteger readerCount = new AtomicInteger();
    private volatile boolean closed;

    /** Creates the clients; they connect on first use, so this does not fail when the brokers are down. */
    public KafkaWal(KafkaWalConfig config) {
        this.config = config;
        this.clientId = "elanus-wal-" + INSTANCES.incrementAndGet();
        this.admin = Admin.create(KafkaClientProperties.admin(config, clientId + "-admin"));
        try {
            this.producer = new KafkaProducer<>(KafkaClientProperties.producer(config, clientId + "-producer"),
                    new ByteArraySerializer(), new ByteArraySerializer());
        } catch (KafkaException e) {
            admin.close(config.timeout());
            throw e;
        }
        this.topics = new KafkaChannelTopics(admin, config);
    }

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("WAL is closed");
        }
    }

    @Override
    public WalPosition append(String channel, byte[] payload) {
        ensureOpen();
        TopicPartition partition = topics.create(channel);
        Future<RecordMetadata> sent;
        try {
            sent = producer.send(new ProducerRecord<>(partition.topic(), partition.partition(), null, payload));
        } catch (KafkaException e) {
            throw new KafkaWalException("Kafka WAL: append to channel " + channel + " failed: " + e, e);
        }
        // The producer fails the send itself after its delivery timeout; the longer wait here only guards against a stuck client.
        RecordMetadata acknowledged = KafkaCalls.await(sent, config.timeout().multipliedBy(2), "append to channel " + channel);
        return new WalPosition(channel, acknowledged.offset());
    }

    /** Opening a reader on an unknown channel creates it, so a consumer may start before the producer. */
    @Override
    public WalReader openReader(String channel, long fromOffset) {
        ensureOpen();
        TopicPartition partition = topics.create(channel);
        long start = topics.startOffset(partition);
        if (fromOffset < start) {
            throw new IllegalArgumentException("WAL channel " + channel + ": offset " + fromOffset
                    + " was truncated; the channel starts at " + start);
        }
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                KafkaClientProperties.consumer(config, clientId + "-reader-" + readerCount.incrementAndGet()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        KafkaWalReader reader = new KafkaWalReader(this, channel, partition, consumer, fromOffset, config.timeout());
        readers.add(reader);
        return reader;
    }

    void forget(KafkaWalReader reader) {
        readers.remove(reader);
    }

    @Override
    public long endOffset(String channel) {
        ensureOpen();
        return topics.find(channel).map(topics::endOffset).orElse(0L);
    }

    @Override
    public long startOffset(String channel) {
        ensureOpen();
        return topics.find(channel).map(topics::startOffset).orElse(0L);
    }

    @Override
    public void truncateBefore(String channel, long offset) {
        ensureOpen();
        Optional<TopicPartition> partition = topics.find(channel);
        if (partition.isEmpty()) {
            return;
        }
        // Kafka refuses to delete past the end; the contract lets callers ask for more.
        long target = Math.min(offset, topics.endOffset(partition.get()));
        if (target > 0) {
            topics.deleteBefore(partition.get(), target);
        }
    }

    @Override
    public Set<String> channels() {
        ensureOpen();
        return topics.channels();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        readers.forEach(KafkaWalReader::wakeUp);
        try {
            producer.close(config.timeout());
        } finally {
            admin.close(config.timeout());
        }
    }
}
