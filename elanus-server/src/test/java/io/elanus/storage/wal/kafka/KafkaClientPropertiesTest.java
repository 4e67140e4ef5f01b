package io.elanus.storage.wal.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KafkaClientPropertiesTest {

    private static final KafkaWalConfig CONFIG = KafkaWalConfig.of("127.0.0.1:1", "p-");

    @Test
    void aLoneAppenderDoesNotWaitForABatchToFill() {
        assertEquals("0", KafkaClientProperties.producer(CONFIG, "id").get(ProducerConfig.LINGER_MS_CONFIG));
    }

    @Test
    void userSettingsCannotWeakenAcknowledgementOrMakeOffsetsSparse() {
        KafkaWalConfig config = CONFIG.withProducerProperties(Map.of(
                ProducerConfig.ACKS_CONFIG, "1",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false",
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx",
                ProducerConfig.LINGER_MS_CONFIG, "20"));
        Map<String, Object> producer = KafkaClientProperties.producer(config, "id");
        assertEquals("all", producer.get(ProducerConfig.ACKS_CONFIG));
        assertEquals("true", producer.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG));
        assertFalse(producer.containsKey(ProducerConfig.TRANSACTIONAL_ID_CONFIG));
        assertEquals("20", producer.get(ProducerConfig.LINGER_MS_CONFIG), "batching latency stays the user's choice");
    }

    @Test
    void readersNeitherJoinAGroupNorResetTheirPosition() {
        KafkaWalConfig config = new KafkaWalConfig("127.0.0.1:1", "p-", (short) 1, 1, 1024, Duration.ofSeconds(5),
                Map.of(), Map.of(), Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "g",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "true"));
        Map<String, Object> consumer = KafkaClientProperties.consumer(config, "id");
        assertFalse(consumer.containsKey(ConsumerConfig.GROUP_ID_CONFIG));
        assertEquals("none", consumer.get(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG));
        assertEquals("false", consumer.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG));
    }

    @Test
    void everyClientIsBoundedByTheConfiguredTimeout() {
        KafkaWalConfig config = CONFIG.withTimeout(Duration.ofSeconds(10));
        Map<String, Object> producer = KafkaClientProperties.producer(config, "id");
        assertEquals("10000", producer.get(ProducerConfig.MAX_BLOCK_MS_CONFIG));
        assertEquals("10000", producer.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG));
        assertEquals("10000", KafkaClientProperties.consumer(config, "id").get(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG));
        assertEquals("10000", KafkaClientProperties.admin(config, "id").get(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG));
    }

    @Test
    void theProducerCanSendTheLargestRecord() {
        Map<String, Object> producer = KafkaClientProperties.producer(CONFIG, "id");
        int batch = KafkaClientProperties.maxBatchBytes(CONFIG);
        assertTrue(batch > CONFIG.maxRecordBytes());
        assertEquals(Integer.toString(batch), producer.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
        assertTrue(Long.parseLong((String) producer.get(ProducerConfig.BUFFER_MEMORY_CONFIG)) >= batch);
    }

    /** The clients check their settings when built (e.g. delivery timeout versus linger plus request timeout). */
    @Test
    void theKafkaClientsAcceptTheSettings() {
        KafkaWalConfig config = CONFIG.withTimeout(KafkaWalConfig.MIN_TIMEOUT)
                .withProducerProperties(Map.of(ProducerConfig.LINGER_MS_CONFIG, "20"));
        new KafkaProducer<>(KafkaClientProperties.producer(config, "p"), new ByteArraySerializer(), new ByteArraySerializer())
                .close(Duration.ZERO);
        new KafkaConsumer<>(KafkaClientProperties.consumer(config, "c"), new ByteArrayDeserializer(), new ByteArrayDeserializer())
                .close();
        Admin.create(KafkaClientProperties.admin(config, "a")).close(Duration.ZERO);
    }
}
