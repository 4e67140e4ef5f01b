package io.elanus.server;

import io.elanus.common.Config;
import io.elanus.common.Params;
import io.elanus.storage.kv.MetaKv;
import io.elanus.storage.kv.etcd.EtcdMetaKv;
import io.elanus.storage.object.ObjectStore;
import io.elanus.storage.object.s3.S3ObjectStore;
import io.elanus.storage.object.s3.S3ObjectStoreConfig;
import io.elanus.storage.wal.Wal;
import io.elanus.storage.wal.kafka.KafkaWal;
import io.elanus.storage.wal.kafka.KafkaWalConfig;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The shared backends of a cluster, configured with Milvus's keys: etcd for metadata
 * ({@code etcd.endpoints}, {@code etcd.rootPath}), Kafka for the WAL ({@code mq.type: kafka},
 * {@code kafka.brokerList}) and an S3-compatible store for files ({@code minio.*}). A cluster role
 * never runs on the embedded backends: they live in one process's data directory and other
 * processes could not see them.
 */
public record ClusterBackends(MetaKv kv, Wal wal, ObjectStore objects) implements AutoCloseable {

    /** Why this configuration cannot run a cluster role, or null if it can. */
    public static String refusal(Config config) {
        if (!"kafka".equalsIgnoreCase(config.get(Params.MQ_TYPE).trim())) {
            return "cluster roles need a shared WAL: set mq.type to kafka (it is '" + config.get(Params.MQ_TYPE)
                    + "'; the embedded WAL lives in one process's data directory, so other roles could not read it)";
        }
        if (config.get(Params.KAFKA_BROKER_LIST).isBlank()) {
            return "mq.type is kafka but kafka.brokerList is empty";
        }
        if (config.get(Params.ETCD_ENDPOINTS).isBlank()) {
            return "cluster roles keep their metadata in etcd: set etcd.endpoints";
        }
        return null;
    }

    /** Milvus's {@code kafka.brokerList}, with its {@code kafka.producer.*} and {@code kafka.consumer.*} extras. */
    static KafkaWalConfig kafkaConfig(Config config) {
        return KafkaWalConfig.of(config.get(Params.KAFKA_BROKER_LIST), "")
                .withProducerProperties(config.group(Params.KAFKA_PRODUCER_GROUP))
                .withConsumerProperties(config.group(Params.KAFKA_CONSUMER_GROUP));
    }

    /** Connects to all three; throws IllegalArgumentException with {@link #refusal} when the configuration is not a cluster one. */
    public static ClusterBackends open(Config config) {
        String refusal = refusal(config);
        if (refusal != null) {
            throw new IllegalArgumentException(refusal);
        }
        List<String> endpoints = Arrays.stream(config.get(Params.ETCD_ENDPOINTS).split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        MetaKv kv = EtcdMetaKv.connect(endpoints, config.get(Params.ETCD_ROOT_PATH),
                EtcdMetaKv.Settings.withRequestTimeout(Duration.ofMillis(config.getLong(Params.ETCD_REQUEST_TIMEOUT))));
        Wal wal = null;
        try {
            wal = new KafkaWal(kafkaConfig(config));
            ObjectStore objects = new S3ObjectStore(S3ObjectStoreConfig.of(config.get(Params.MINIO_ADDRESS),
                    config.getInt(Params.MINIO_PORT), config.getBool(Params.MINIO_USE_SSL), config.get(Params.MINIO_BUCKET),
                    config.get(Params.MINIO_ACCESS_KEY), config.get(Params.MINIO_SECRET_KEY), config.get(Params.MINIO_ROOT_PATH)));
            return new ClusterBackends(kv, wal, objects);
        } catch (RuntimeException e) {
            if (wal != null) {
                wal.close();
            }
            kv.close();
            throw e;
        }
    }

    @Override
    public void close() {
        objects.close();
        wal.close();
        kv.close();
    }
}
