package io.elanus.storage.wal.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How {@link KafkaWal} reaches Kafka and lays out its topics.
 *
 * @param bootstrapServers   Milvus's {@code kafka.brokerList}
 * @param topicPrefix        put before each channel name to form its topic (may be empty)
 * @param replicationFactor  for topics the WAL creates
 * @param minInsyncReplicas  for topics the WAL creates: replicas that must hold a record before it is acknowledged
 * @param maxRecordBytes     the largest payload accepted; topics and the producer are sized for it
 * @param timeout            bound on every call to Kafka (an append may take up to twice this when the
 *                           broker is unreachable: once waiting for metadata, once for delivery)
 * @param clientProperties   extra settings for every Kafka client (e.g. security)
 * @param producerProperties extra producer settings (Milvus's {@code kafka.producer.*})
 * @param consumerProperties extra consumer settings (Milvus's {@code kafka.consumer.*})
 */
public record KafkaWalConfig(String bootstrapServers, String topicPrefix, short replicationFactor, int minInsyncReplicas,
                             int maxRecordBytes, Duration timeout, Map<String, String> clientProperties,
                             Map<String, String> producerProperties, Map<String, String> consumerProperties) {

    /** Above the proxy's default 64 MiB request limit (one insert request becomes one record), below the broker's 100 MiB request limit. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 96 << 20;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    static final Duration MIN_TIMEOUT = Duration.ofSeconds(2);

    public KafkaWalConfig {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("Kafka bootstrap servers are required");
        }
        Objects.requireNonNull(topicPrefix, "topicPrefix");
        if (!topicPrefix.isEmpty() && !topicPrefix.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("invalid Kafka topic prefix: " + topicPrefix);
        }
        if (replicationFactor < 1 || minInsyncReplicas < 1 || minInsyncReplicas > replicationFactor) {
            throw new IllegalArgumentException("need 1 <= minInsyncReplicas (" + minInsyncReplicas
                    + ") <= replicationFactor (" + replicationFactor + ")");
        }
        if (maxRecordBytes <= 0) {
            throw new IllegalArgumentException("maxRecordBytes must be positive");
        }
        if (timeout.compareTo(MIN_TIMEOUT) < 0) {
            throw new IllegalArgumentException("the Kafka timeout must be at least " + MIN_TIMEOUT);
        }
        clientProperties = Map.copyOf(clientProperties);
        producerProperties = Map.copyOf(producerProperties);
        consumerProperties = Map.copyOf(consumerProperties);
    }

    /** Defaults for a single-broker cluster: replication factor 1, no extra client settings. */
    public static KafkaWalConfig of(String bootstrapServers, String topicPrefix) {
        return new KafkaWalConfig(bootstrapServers, topicPrefix, (short) 1, 1, DEFAULT_MAX_RECORD_BYTES, DEFAULT_TIMEOUT,
                Map.of(), Map.of(), Map.of());
    }

    public KafkaWalConfig withTimeout(Duration newTimeout) {
        return new KafkaWalConfig(bootstrapServers, topicPrefix, replicationFactor, minInsyncReplicas, maxRecordBytes,
                newTimeout, clientProperties, producerProperties, consumerProperties);
    }

    public KafkaWalConfig withProducerProperties(Map<String, String> properties) {
        return new KafkaWalConfig(bootstrapServers, topicPrefix, replicationFactor, minInsyncReplicas, maxRecordBytes,
                timeout, clientProperties, properties, consumerProperties);
    }

    public KafkaWalConfig withConsumerProperties(Map<String, String> properties) {
        return new KafkaWalConfig(bootstrapServers, topicPrefix, replicationFactor, minInsyncReplicas, maxRecordBytes,
                timeout, clientProperties, producerProperties, properties);
    }
}
