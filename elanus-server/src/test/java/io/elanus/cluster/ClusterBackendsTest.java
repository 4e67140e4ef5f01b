package io.elanus.cluster;

import io.elanus.common.Config;
import io.elanus.storage.kv.etcd.EtcdUnavailableException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

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
