package io.elanus.storage.wal.kafka;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.util.HashMap;
import java.util.Map;

/**
 * The settings of the WAL's Kafka clients. Layers, later ones winning: our defaults, the user's
 * common properties, the user's per-client properties, then the settings the WAL's guarantees
 * depend on (acknowledged means replicated, offsets dense, positions only from our checkpoints).
 * Values are strings, the form Kafka parses for every setting type.
 */
final class KafkaClientProperties {

    /** Room for the record batch and record headers around the largest payload. */
    static final int BATCH_OVERHEAD_BYTES = 1024;
    private static final long DEFAULT_BUFFER_MEMORY = 32L << 20;

    private KafkaClientProperties() {
    }

    /** The largest record batch the producer sends and the topics accept. */
    static int maxBatchBytes(KafkaWalConfig config) {
        return config.maxRecordBytes() + BATCH_OVERHEAD_BYTES;
    }

    static Map<String, Object> producer(KafkaWalConfig config, String clientId) {
        Map<String, Object> p = new HashMap<>();
        // A lone appender must not wait for a batch to fill; concurrent appends still batch while requests are in flight.
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMillis(config));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMillis(config));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, requestTimeoutMillis(config));
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(maxBatchBytes(config)));
        // A record must fit in the send buffer, with room for a second one while it is in flight.
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(Math.max(DEFAULT_BUFFER_MEMORY, 2L * maxBatchBytes(config))));
        layer(p, config, config.producerProperties(), clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // Transactions would put control records between ours, leaving gaps in the offsets.
        p.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        return p;
    }

    static Map<String, Object> consumer(KafkaWalConfig config, String clientId) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMillis(config));
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, requestTimeoutMillis(config));
        layer(p, config, config.consumerProperties(), clientId);
        // Readers are positioned by the caller's checkpoints: no group, no committed offsets, no silent reset.
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        return p;
    }

    static Map<String, Object> admin(KafkaWalConfig config, String clientId) {
        Map<String, Object> p = new HashMap<>();
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMillis(config));
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, requestTimeoutMillis(config));
        layer(p, config, Map.of(), clientId);
        return p;
    }

    private static void layer(Map<String, Object> p, KafkaWalConfig config, Map<String, String> specific, String clientId) {
        p.putAll(config.clientProperties());
        p.putAll(specific);
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
    }

    private static String timeoutMillis(KafkaWalConfig config) {
        return Long.toString(config.timeout().toMillis());
    }

    /** Half the call bound, so that a lost request is retried once before the call gives up. */
    private static String requestTimeoutMillis(KafkaWalConfig config) {
        return Long.toString(config.timeout().toMillis() / 2);
    }
}
