package io.elanus.storage.object.s3;

import io.elanus.storage.object.ObjectKeys;

import java.time.Duration;

/**
 * Where the S3 object store lives; each field is the Milvus key in parentheses.
 *
 * @param address         host name or IP of the S3-compatible server ({@code minio.address})
 * @param port            its port ({@code minio.port})
 * @param useSSL          https instead of http ({@code minio.useSSL})
 * @param bucketName      created at open if missing ({@code minio.bucketName})
 * @param accessKeyId     static credentials ({@code minio.accessKeyID})
 * @param secretAccessKey ({@code minio.secretAccessKey})
 * @param rootPath        objects live under {@code rootPath/} in the bucket; empty for the bucket's root
 *                        ({@code minio.rootPath})
 * @param region          signing region, us-east-1 when empty ({@code minio.region})
 * @param requestTimeout  bounds connecting and each wait for the server's next bytes; not a whole
 *                        transfer, so large objects are fine ({@code minio.requestTimeoutMs})
 */
public record S3ObjectStoreConfig(String address, int port, boolean useSSL, String bucketName, String accessKeyId,
                                  String secretAccessKey, String rootPath, String region, Duration requestTimeout) {

    /** Milvus's default {@code minio.requestTimeoutMs}. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final String DEFAULT_REGION = "us-east-1";

    public S3ObjectStoreConfig {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("minio.address is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("minio.port out of range: " + port);
        }
        if (bucketName == null || bucketName.isBlank()) {
            throw new IllegalArgumentException("minio.bucketName is empty");
        }
        if (accessKeyId == null || secretAccessKey == null) {
            throw new IllegalArgumentException("minio.accessKeyID and minio.secretAccessKey are required");
        }
        rootPath = rootPath == null ? "" : trimSlashes(rootPath);
        if (!rootPath.isEmpty()) {
            ObjectKeys.check(rootPath);
        }
        region = region == null || region.isBlank() ? DEFAULT_REGION : region;
        if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("minio.requestTimeoutMs must be positive");
        }
    }

    /** The Milvus keys that have no default here; region and timeout take their defaults. */
    public static S3ObjectStoreConfig of(String address, int port, boolean useSSL, String bucketName, String accessKeyId,
                                         String secretAccessKey, String rootPath) {
        return new S3ObjectStoreConfig(address, port, useSSL, bucketName, accessKeyId, secretAccessKey, rootPath,
                DEFAULT_REGION, DEFAULT_REQUEST_TIMEOUT);
    }

    private static String trimSlashes(String path) {
        int start = 0;
        int end = path.length();
        while (start < end && path.charAt(start) == '/') {
            start++;
        }
        while (end > start && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(start, end);
    }
}
