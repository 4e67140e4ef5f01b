package io.elanus.storage.wal.kafka;

import io.elanus.storage.wal.WalChannelNames;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * The WAL's topics as seen through the Kafka admin client: one topic of one partition per channel,
 * named topic prefix + channel name. Kafka refuses a topic whose name differs from an existing one
 * only by '.' versus '_', so channels {@code a.b} and {@code a_b} cannot both exist. Thread-safe.
 */
final class KafkaChannelTopics {

    /** Kafka's limit on topic names. */
    private static final int MAX_TOPIC_NAME_LENGTH = 249;

    private static final long METADATA_RETRY_NANOS = 50_000_000L;

    private final Admin admin;
    private final KafkaWalConfig config;
    private final Duration timeout;
    /** Topics known to exist; only grows, as the WAL never deletes a topic. */
    private final Set<String> existing = ConcurrentHashMap.newKeySet();

    KafkaChannelTopics(Admin admin, KafkaWalConfig config) {
        this.admin = admin;
        this.config = config;
        this.timeout = config.timeout();
    }

    /** The channel's partition, creating its topic if needed; concurrent creators may race, which is fine. */
    TopicPartition create(String channel) {
        TopicPartition partition = partition(channel)
                .orElseThrow(() -> new IllegalArgumentException("invalid WAL channel name (or too long a topic name with the prefix): " + channel));
        String topic = partition.topic();
        if (!existing.contains(topic)) {
            try {
                KafkaCalls.await(admin.createTopics(List.of(newTopic(topic))).all(), timeout, "creating topic " + topic);
            } catch (KafkaWalException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            existing.add(topic);
        }
        return partition;
    }

    /**
     * Topics hold records until {@link #deleteBefore}: no retention by time or size. Only partition 0
     * is ever used, so a topic created elsewhere with more partitions still works.
     */
    private NewTopic newTopic(String topic) {
        return new NewTopic(topic, 1, config.replicationFactor()).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, "-1",
                TopicConfig.RETENTION_BYTES_CONFIG, "-1",
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(config.minInsyncReplicas()),
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(KafkaClientProperties.maxBatchBytes(config))));
    }

    /** The channel's partition if its topic exists; empty for an unknown channel or a name no channel can have. */
    Optional<TopicPartition> find(String channel) {
        Optional<TopicPartition> partition = partition(channel);
        if (partition.isEmpty() || existing.contains(partition.get().topic())) {
            return partition;
        }
        String topic = partition.get().topic();
        try {
            KafkaCalls.await(admin.describeTopics(List.of(topic)).allTopicNames(), timeout, "describing topic " + topic);
        } catch (KafkaWalException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw e;
        }
        existing.add(topic);
        return partition;
    }

    private Optional<TopicPartition> partition(String channel) {
        String topic = config.topicPrefix() + channel;
        if (!WalChannelNames.isValid(channel) || topic.length() > MAX_TOPIC_NAME_LENGTH) {
            return Optional.empty();
        }
        return Optional.of(new TopicPartition(topic, 0));
    }

    long startOffset(TopicPartition partition) {
        return offset(partition, OffsetSpec.earliest(), "start");
    }

    /** The high watermark: the offset after the last acknowledged record. */
    long endOffset(TopicPartition partition) {
        return offset(partition, OffsetSpec.latest(), "end");
    }

    /**
     * Right after a topic is created the broker may not know its partition yet (metadata propagates
     * asynchronously), so a topic known to exist is asked again until the timeout.
     */
    private long offset(TopicPartition partition, OffsetSpec spec, String which) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return KafkaCalls.await(admin.listOffsets(Map.of(partition, spec)).partitionResult(partition), timeout,
                        "listing the " + which + " offset of " + partition.topic()).offset();
            } catch (KafkaWalException e) {
                boolean propagating = e.getCause() instanceof UnknownTopicOrPartitionException && existing.contains(partition.topic());
                if (!propagating || System.nanoTime() > deadline) {
                    throw e;
                }
                LockSupport.parkNanos(METADATA_RETRY_NANOS);
            }
        }
    }

    /** Moves the partition's start to {@code offset}, which must not exceed its end. */
    void deleteBefore(TopicPartition partition, long offset) {
        KafkaCalls.await(admin.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(offset))).lowWatermarks().get(partition),
                timeout, "deleting records of " + partition.topic() + " before offset " + offset);
    }

    /** Channel names of the topics under the prefix. */
    Set<String> channels() {
        Set<String> topics = KafkaCalls.await(admin.listTopics().names(), timeout, "listing topics");
        String prefix = config.topicPrefix();
        Set<String> channels = new TreeSet<>();
        for (String topic : topics) {
            if (topic.startsWith(prefix) && WalChannelNames.isValid(topic.substring(prefix.length()))) {
                channels.add(topic.substring(prefix.length()));
            }
        }
        return channels;
    }
}
