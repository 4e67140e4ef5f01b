package io.elanus.server;

import io.elanus.common.Config;
import io.elanus.storage.kv.etcd.EtcdUnavailableException;
import io.elanus.storage.wal.kafka.KafkaWalConfig;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The backends a cluster role connects to, from Milvus's configuration keys. */
class ClusterBackendsTest {

    private static Config config(Map<String, String> overrides) {
        return Config.load(null, Map.of(), overrides);
    }

    @Test
    void theEmbeddedWalIsRefusedWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClusterBackends.open(config(Map.of())));
        assertTrue(e.getMessage().contains("set mq.type to kafka"), e.getMessage());
    }

    @Test
    void aNonPositiveEtcdRequestTimeoutIsRefused() {
        Config c = config(Map.of("mq.type", "kafka", "kafka.brokerList", "localhost:9092", "etcd.requestTimeout", "0"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClusterBackends.open(c));
        assertTrue(e.getMessage().contains("etcd.requestTimeout"), e.getMessage());
    }

    @Test
    void kafkaProducerAndConsumerSettingsReachTheWal() {
        Config c = config(Map.of("mq.type", "kafka", "kafka.brokerList", "b1:9092,b2:9092",
                "kafka.producer.client.id", "p1", "kafka.consumer.client.id", "c1"));
        KafkaWalConfig kafka = ClusterBackends.kafkaConfig(c);
        assertEquals("b1:9092,b2:9092", kafka.bootstrapServers());
        assertEquals(Map.of("client.id", "p1"), kafka.producerProperties());
        assertEquals(Map.of("client.id", "c1"), kafka.consumerProperties());
    }

    @Test
    void etcdRequestsAreBoundedByEtcdRequestTimeout() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Config c = config(Map.of("mq.type", "kafka", "kafka.brokerList", "localhost:9092",
                "etcd.endpoints", "127.0.0.1:" + closedPort, "etcd.requestTimeout", "700"));
        EtcdUnavailableException e = assertThrows(EtcdUnavailableException.class, () -> ClusterBackends.open(c));
        assertTrue(e.getMessage().contains("within 700 ms"), e.getMessage());
    }
}
