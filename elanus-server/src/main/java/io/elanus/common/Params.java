package io.elanus.common;

import java.util.List;

/** Every configuration key Elanus reads. Milvus's names and defaults unless noted. */
public final class Params {
    private Params() {
    }

    public static final ParamKey PROXY_PORT = new ParamKey("proxy.port", ParamKey.Kind.INT, "19530", "gRPC port of the Milvus API");
    public static final ParamKey PROXY_MAX_NAME_LENGTH = new ParamKey("proxy.maxNameLength", ParamKey.Kind.INT, "255", "longest collection, field, partition or alias name");
    public static final ParamKey PROXY_MAX_FIELD_NUM = new ParamKey("proxy.maxFieldNum", ParamKey.Kind.INT, "64", "fields per collection");
    public static final ParamKey PROXY_MAX_VECTOR_FIELD_NUM = new ParamKey("proxy.maxVectorFieldNum", ParamKey.Kind.INT, "4", "vector fields per collection");
    public static final ParamKey PROXY_MAX_SHARD_NUM = new ParamKey("proxy.maxShardNum", ParamKey.Kind.INT, "16", "shards per collection");
    public static final ParamKey PROXY_MAX_DIMENSION = new ParamKey("proxy.maxDimension", ParamKey.Kind.INT, "32768", "largest vector dimension");
    public static final ParamKey PROXY_TIME_TICK_INTERVAL = new ParamKey("proxy.timeTickInterval", ParamKey.Kind.INT, "200", "milliseconds between time ticks on the DML channels");
    public static final ParamKey PROXY_MAX_TASK_NUM = new ParamKey("proxy.maxTaskNum", ParamKey.Kind.INT, "1024", "queued tasks per scheduler queue");
    public static final ParamKey GRPC_SERVER_MAX_RECV_SIZE = new ParamKey("proxy.grpc.serverMaxRecvSize", ParamKey.Kind.INT, "67108864", "largest request in bytes");
    public static final ParamKey METRICS_PORT = new ParamKey("metrics.port", ParamKey.Kind.INT, "9091",
            "HTTP port of the management endpoint (/healthz); 0 disables it");
    public static final ParamKey DEFAULT_PARTITION_NAME = new ParamKey("common.defaultPartitionName", ParamKey.Kind.STRING, "_default", "name of the partition every collection starts with");
    public static final ParamKey GRACEFUL_TIME = new ParamKey("common.gracefulTime", ParamKey.Kind.LONG, "5000", "staleness allowed by Bounded consistency, in milliseconds");
    public static final ParamKey TOPK_LIMIT = new ParamKey("common.topKLimit", ParamKey.Kind.INT, "16384", "largest topK, nq and offset+limit");
    public static final ParamKey MAX_RESULT_ENTRIES = new ParamKey("proxy.maxResultEntries", ParamKey.Kind.LONG, "10000000",
            "largest nq * (offset + limit) of one search, so a single request cannot exhaust memory (Elanus's default; Milvus's is unlimited)");
    public static final ParamKey PROXY_MAX_EXPR_LENGTH = new ParamKey("proxy.maxExprLength", ParamKey.Kind.INT, "1048576",
            "longest filter expression in characters, 0 for no limit (Elanus's limit; Milvus has none)");
    public static final ParamKey PROXY_MAX_EXPR_TEMPLATE_TERMS = new ParamKey("proxy.maxExprTemplateTerms", ParamKey.Kind.INT, "131072",
            "most values in a filter's template arrays, 0 for no limit (Elanus's limit; Milvus has none)");
    public static final ParamKey DML_CHANNEL_NUM = new ParamKey("rootCoord.dmlChannelNum", ParamKey.Kind.INT, "16", "physical DML channels in the WAL");
    public static final ParamKey MAX_DATABASE_NUM = new ParamKey("rootCoord.maxDatabaseNum", ParamKey.Kind.INT, "64", "databases");
    public static final ParamKey MAX_PARTITION_NUM = new ParamKey("rootCoord.maxPartitionNum", ParamKey.Kind.INT, "1024", "partitions per collection");
    public static final ParamKey MAX_COLLECTION_NUM_PER_DB = new ParamKey("quotaAndLimits.limits.maxCollectionNumPerDB", ParamKey.Kind.INT, "65536", "collections per database");
    public static final ParamKey SEGMENT_MAX_SIZE = new ParamKey("dataCoord.segment.maxSize", ParamKey.Kind.LONG, "1024", "segment size in MB at which it is sealed");
    public static final ParamKey SYNC_PERIOD = new ParamKey("dataNode.segment.syncPeriod", ParamKey.Kind.LONG, "600", "seconds after which buffered data is flushed even if small (bounds WAL replay on restart)");
    public static final ParamKey QUOTA_AND_LIMITS_ENABLED = new ParamKey("quotaAndLimits.enabled", ParamKey.Kind.BOOL, "true",
            "master switch of quotas and limits: false never refuses a write for memory (true as in Milvus's shipped milvus.yaml)");
    public static final ParamKey MEM_PROTECTION_ENABLED = new ParamKey("quotaAndLimits.limitWriting.memProtection.enabled", ParamKey.Kind.BOOL, "true",
            "refuse writes while memory in use is at or above a high water level");
    public static final ParamKey DATANODE_MEMORY_LOW_WATER_LEVEL = new ParamKey("quotaAndLimits.limitWriting.memProtection.dataNodeMemoryLowWaterLevel",
            ParamKey.Kind.FRACTION, "0.6", "fraction of the JVM heap (live after GC) above which growing segments are flushed early (Elanus's default; Milvus's is 0.85 of host memory)");
    public static final ParamKey DATANODE_MEMORY_HIGH_WATER_LEVEL = new ParamKey("quotaAndLimits.limitWriting.memProtection.dataNodeMemoryHighWaterLevel",
            ParamKey.Kind.FRACTION, "0.75", "fraction of the JVM heap (live after GC) at which writes are refused (Elanus's default; Milvus's is 0.95 of host memory)");
    public static final ParamKey QUERYNODE_MEMORY_LOW_WATER_LEVEL = new ParamKey("quotaAndLimits.limitWriting.memProtection.queryNodeMemoryLowWaterLevel",
            ParamKey.Kind.FRACTION, "0.6", "as dataNodeMemoryLowWaterLevel, for the query node's memory (the same heap in standalone)");
    public static final ParamKey QUERYNODE_MEMORY_HIGH_WATER_LEVEL = new ParamKey("quotaAndLimits.limitWriting.memProtection.queryNodeMemoryHighWaterLevel",
            ParamKey.Kind.FRACTION, "0.75", "as dataNodeMemoryHighWaterLevel, for the query node's memory (the same heap in standalone)");
    public static final ParamKey LOCAL_STORAGE_PATH = new ParamKey("localStorage.path", ParamKey.Kind.STRING, "./data", "data directory (overridden by --data-dir)");
    public static final ParamKey ETCD_ENDPOINTS = new ParamKey("etcd.endpoints", ParamKey.Kind.STRING, "localhost:2379", "etcd endpoints (cluster mode only)");
    public static final ParamKey ETCD_ROOT_PATH = new ParamKey("etcd.rootPath", ParamKey.Kind.STRING, "by-dev", "key prefix in the meta store");
    public static final ParamKey ETCD_REQUEST_TIMEOUT = new ParamKey("etcd.requestTimeout", ParamKey.Kind.LONG, "10000", "milliseconds each etcd request may take before it fails as unavailable");
    public static final ParamKey MQ_TYPE = new ParamKey("mq.type", ParamKey.Kind.STRING, "default", "WAL backend: default = embedded in standalone");
    public static final ParamKey MINIO_BUCKET = new ParamKey("minio.bucketName", ParamKey.Kind.STRING, "a-bucket", "object store bucket (cluster mode only)");
    public static final ParamKey MINIO_ROOT_PATH = new ParamKey("minio.rootPath", ParamKey.Kind.STRING, "files", "key prefix in the object store");
    public static final ParamKey KAFKA_BROKER_LIST = new ParamKey("kafka.brokerList", ParamKey.Kind.STRING, "", "Kafka bootstrap servers (cluster mode with mq.type kafka)");
    public static final ParamKey MINIO_ADDRESS = new ParamKey("minio.address", ParamKey.Kind.STRING, "localhost", "host of the S3-compatible object store (cluster mode only)");
    public static final ParamKey MINIO_PORT = new ParamKey("minio.port", ParamKey.Kind.INT, "9000", "port of the S3-compatible object store");
    public static final ParamKey MINIO_ACCESS_KEY = new ParamKey("minio.accessKeyID", ParamKey.Kind.STRING, "minioadmin", "object store access key");
    public static final ParamKey MINIO_SECRET_KEY = new ParamKey("minio.secretAccessKey", ParamKey.Kind.STRING, "minioadmin", "object store secret key");
    public static final ParamKey MINIO_USE_SSL = new ParamKey("minio.useSSL", ParamKey.Kind.BOOL, "false", "reach the object store over HTTPS");
    public static final ParamKey SESSION_TTL = new ParamKey("common.session.ttl", ParamKey.Kind.INT, "10",
            "seconds after which the session of a dead process expires and its work is reassigned (Elanus's default; Milvus's is 30)");
    public static final ParamKey ROOTCOORD_PORT = new ParamKey("rootCoord.port", ParamKey.Kind.INT, "53100", "internal gRPC port of rootcoord (cluster mode)");
    public static final ParamKey DATACOORD_PORT = new ParamKey("dataCoord.port", ParamKey.Kind.INT, "13333", "internal gRPC port of datacoord (cluster mode)");
    public static final ParamKey QUERYCOORD_PORT = new ParamKey("queryCoord.port", ParamKey.Kind.INT, "19531", "internal gRPC port of querycoord (cluster mode)");
    public static final ParamKey DATANODE_PORT = new ParamKey("dataNode.port", ParamKey.Kind.INT, "21124", "internal gRPC port of a datanode (cluster mode; 0 picks a free one)");
    public static final ParamKey QUERYNODE_PORT = new ParamKey("queryNode.port", ParamKey.Kind.INT, "21123", "internal gRPC port of a querynode (cluster mode; 0 picks a free one)");
    public static final ParamKey INDEXNODE_PORT = new ParamKey("indexNode.port", ParamKey.Kind.INT, "21121", "internal gRPC port of an indexnode (cluster mode; 0 picks a free one)");
    public static final ParamKey PROXY_INTERNAL_PORT = new ParamKey("proxy.internalPort", ParamKey.Kind.INT, "19529", "internal gRPC port of a proxy (cluster mode; 0 picks a free one)");
    public static final ParamKey NODE_IP = new ParamKey("common.nodeIP", ParamKey.Kind.STRING, "127.0.0.1",
            "address other processes reach this one's internal gRPC port at (cluster mode; Elanus's key)");

    public static final List<ParamKey> ALL = List.of(PROXY_PORT, PROXY_MAX_NAME_LENGTH, PROXY_MAX_FIELD_NUM,
            PROXY_MAX_VECTOR_FIELD_NUM, PROXY_MAX_SHARD_NUM, PROXY_MAX_DIMENSION, PROXY_TIME_TICK_INTERVAL,
            PROXY_MAX_TASK_NUM, METRICS_PORT, GRPC_SERVER_MAX_RECV_SIZE, MAX_RESULT_ENTRIES, PROXY_MAX_EXPR_LENGTH, PROXY_MAX_EXPR_TEMPLATE_TERMS,
            DEFAULT_PARTITION_NAME,
            GRACEFUL_TIME, TOPK_LIMIT, DML_CHANNEL_NUM, MAX_DATABASE_NUM, MAX_PARTITION_NUM,
            MAX_COLLECTION_NUM_PER_DB, SEGMENT_MAX_SIZE, SYNC_PERIOD, QUOTA_AND_LIMITS_ENABLED, MEM_PROTECTION_ENABLED,
            DATANODE_MEMORY_LOW_WATER_LEVEL, DATANODE_MEMORY_HIGH_WATER_LEVEL, QUERYNODE_MEMORY_LOW_WATER_LEVEL,
            QUERYNODE_MEMORY_HIGH_WATER_LEVEL, LOCAL_STORAGE_PATH,
            ETCD_ENDPOINTS, ETCD_ROOT_PATH, ETCD_REQUEST_TIMEOUT, MQ_TYPE, MINIO_BUCKET, MINIO_ROOT_PATH, KAFKA_BROKER_LIST,
            MINIO_ADDRESS, MINIO_PORT, MINIO_ACCESS_KEY, MINIO_SECRET_KEY, MINIO_USE_SSL, SESSION_TTL,
            ROOTCOORD_PORT, DATACOORD_PORT, QUERYCOORD_PORT, DATANODE_PORT, QUERYNODE_PORT, INDEXNODE_PORT,
            PROXY_INTERNAL_PORT, NODE_IP);

    /**
     * Key prefixes whose keys are passed through as they are (Milvus's ParamGroups): extra settings
     * for the Kafka producer and consumer, e.g. {@code kafka.producer.client.id}.
     */
    public static final String KAFKA_PRODUCER_GROUP = "kafka.producer.";
    public static final String KAFKA_CONSUMER_GROUP = "kafka.consumer.";
    static final List<String> GROUPS = List.of(KAFKA_PRODUCER_GROUP, KAFKA_CONSUMER_GROUP);

    /** Keys of the distributed backends: recognised, but the standalone server runs on its embedded ones. */
    public static final List<ParamKey> CLUSTER_ONLY = List.of(ETCD_ENDPOINTS, ETCD_ROOT_PATH, ETCD_REQUEST_TIMEOUT, MQ_TYPE, MINIO_BUCKET,
            MINIO_ROOT_PATH, KAFKA_BROKER_LIST, MINIO_ADDRESS, MINIO_PORT, MINIO_ACCESS_KEY, MINIO_SECRET_KEY, MINIO_USE_SSL);
}
