package io.elanus.common;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsAreMilvusDefaults() {
        Config c = Config.defaults();
        assertEquals(19530, c.getInt(Params.PROXY_PORT));
        assertEquals("_default", c.get(Params.DEFAULT_PARTITION_NAME));
        assertEquals(5000, c.getLong(Params.GRACEFUL_TIME));
    }

    @Test
    void yamlKeysAreReadNestedAndUnknownKeysIgnored() throws IOException {
        Path yaml = write("proxy:\n  port: 19600\ncommon:\n  gracefulTime: 100\nsomething:\n  unknown: 1\n");
        Config c = Config.load(yaml, Map.of(), Map.of());
        assertEquals(19600, c.getInt(Params.PROXY_PORT));
        assertEquals(100, c.getLong(Params.GRACEFUL_TIME));
    }

    @Test
    void environmentOverridesFileAndOverridesWin() throws IOException {
        Path yaml = write("proxy:\n  port: 19600\n");
        Config c = Config.load(yaml, Map.of("PROXY_PORT", "19700", "COMMON_GRACEFULTIME", "42"), Map.of());
        assertEquals(19700, c.getInt(Params.PROXY_PORT));
        assertEquals(42, c.getLong(Params.GRACEFUL_TIME));
        Config o = Config.load(yaml, Map.of("PROXY_PORT", "19700"), Map.of("proxy.port", "19800"));
        assertEquals(19800, o.getInt(Params.PROXY_PORT));
    }

    @Test
    void badValuesAreRefusedWithTheKeyNamed() throws IOException {
        Path yaml = write("proxy:\n  port: not-a-number\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Config.load(yaml, Map.of(), Map.of()));
        assertTrue(e.getMessage().contains("proxy.port"), e.getMessage());
        IllegalArgumentException env = assertThrows(IllegalArgumentException.class,
                () -> Config.load(null, Map.of("DATACOORD_SEGMENT_MAXSIZE", "big"), Map.of()));
        assertTrue(env.getMessage().contains("dataCoord.segment.maxSize"), env.getMessage());
    }

    @Test
    void kafkaProducerAndConsumerGroupsPassThroughAsGiven() throws IOException {
        Path yaml = write("kafka:\n  brokerList: b:9092\n  producer:\n    client.id: p1\n    linger.ms: 5\n"
                + "  consumer:\n    client.id: c1\n");
        Config c = Config.load(yaml, Map.of(), Map.of("kafka.producer.compression.type", "zstd"));
        assertEquals(Map.of("client.id", "p1", "linger.ms", "5", "compression.type", "zstd"), c.group(Params.KAFKA_PRODUCER_GROUP));
        assertEquals(Map.of("client.id", "c1"), c.group(Params.KAFKA_CONSUMER_GROUP));
        assertEquals(Map.of(), Config.defaults().group(Params.KAFKA_PRODUCER_GROUP));
        assertThrows(IllegalArgumentException.class, () -> Config.load(null, Map.of(), Map.of("kafka.other.key", "x")),
                "only the groups pass through");
    }

    @Test
    void malformedYamlIsReported() throws IOException {
        Path yaml = write("proxy: [unclosed\n");
        assertThrows(IllegalArgumentException.class, () -> Config.load(yaml, Map.of(), Map.of()));
    }

    private Path write(String text) throws IOException {
        Path f = dir.resolve("milvus.yaml");
        Files.writeString(f, text);
        return f;
    }
}
