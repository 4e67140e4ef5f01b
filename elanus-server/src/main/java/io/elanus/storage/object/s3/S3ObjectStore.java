package io.elanus.storage.object.s3;

import io.elanus.storage.object.ObjectInfo;
import io.elanus.storage.object.ObjectKeys;
import io.elanus.storage.object.ObjectNotFoundException;
import io.elanus.storage.object.ObjectStore;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.LegacyMd5Plugin;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The cluster object store: objects in one bucket of any S3-compatible server (MinIO, Ceph, AWS),
 * under the configured root path. S3 gives what {@link ObjectStore} promises: a single PUT is atomic
 * and durable once acknowledged, and listings come in key order.
 *
 * <p>Requests carry checksums only where S3 requires them (DeleteObjects, as Content-MD5): the
 * CRC headers and aws-chunked uploads newer SDKs send by default are refused by some S3-compatible
 * servers. Transient failures (5xx, throttling, dropped connections) are retried with backoff;
 * anything else surfaces as an {@link UncheckedIOException} naming the operation and the key.
 * Thread-safe: the SDK client is.
 */
public final class S3ObjectStore implements ObjectStore {

    /** S3's limit of keys per DeleteObjects request. */
    static final int DELETE_BATCH = 1000;
    private static final int MAX_ATTEMPTS = 5;
    /**
     * The request timeout bounds connecting and each read, not a blocked upload (socket writes have no
     * timeout); this ceiling bounds every attempt while leaving room for multi-GB objects.
     */
    private static final Duration ATTEMPT_CEILING = Duration.ofMinutes(10);
    private static final int RANGE_NOT_SATISFIABLE = 416;

    private final S3Client client;
    private final String bucket;
    /** Prepended to every caller's key: {@code rootPath + "/"}, or empty. */
    private final String keyPrefix;

    public S3ObjectStore(S3ObjectStoreConfig config) {
        this.bucket = config.bucketName();
        this.keyPrefix = config.rootPath().isEmpty() ? "" : config.rootPath() + "/";
        this.client = newClient(config);
        try {
            ensureBucket(config.region());
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    private static S3Client newClient(S3ObjectStoreConfig config) {
        return S3Client.builder()
                .endpointOverride(endpoint(config))
                .region(Region.of(config.region()))
                .credentialsProvider(credentials(config))
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(config.requestTimeout())
                        .socketTimeout(config.requestTimeout())
                        .build())
                .serviceConfiguration(S3Configuration.builder()
                        .pathStyleAccessEnabled(true)
                        .chunkedEncodingEnabled(false)
                        .build())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .addPlugin(LegacyMd5Plugin.create())
                .overrideConfiguration(o -> o
                        .apiCallAttemptTimeout(ATTEMPT_CEILING)
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(MAX_ATTEMPTS).build()))
                .build();
    }

    private static URI endpoint(S3ObjectStoreConfig config) {
        try {
            return new URI(config.useSSL() ? "https" : "http", null, config.address(), config.port(), null, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid minio.address: " + config.address(), e);
        }
    }

    private static AwsCredentialsProvider credentials(S3ObjectStoreConfig config) {
        if (config.accessKeyId().isEmpty() && config.secretAccessKey().isEmpty()) {
            return AnonymousCredentialsProvider.create();
        }
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKeyId(), config.secretAccessKey()));
    }

    /** Creates the bucket unless it exists; another process may be creating it at the same time. */
    private void ensureBucket(String region) {
        try {
            client.headBucket(b -> b.bucket(bucket));
            return;
        } catch (NoSuchBucketException e) {
            // created below
        } catch (SdkException e) {
            throw failure("open bucket " + bucket, e);
        }
        CreateBucketRequest.Builder create = CreateBucketRequest.builder().bucket(bucket);
        if (!region.equals(S3ObjectStoreConfig.DEFAULT_REGION)) {
            create.createBucketConfiguration(c -> c.locationConstraint(region));
        }
        try {
            client.createBucket(create.build());
        } catch (BucketAlreadyOwnedByYouException | BucketAlreadyExistsException e) {
            // Lost the race, or the name is someone else's: only access tells.
            try {
                client.headBucket(b -> b.bucket(bucket));
            } catch (SdkException again) {
                throw failure("bucket " + bucket + " exists but cannot be accessed", again);
            }
        } catch (SdkException e) {
            throw failure("create bucket " + bucket, e);
        }
    }

    private String fullKey(String key) {
        ObjectKeys.check(key);
        return keyPrefix + key;
    }

    @Override
    public void put(String key, byte[] data) {
        String full = fullKey(key);
        try {
            client.putObject(b -> b.bucket(bucket).key(full), RequestBody.fromBytes(data));
        } catch (SdkException e) {
            throw failure("put " + key, e);
        }
    }

    @Override
    public Optional<byte[]> get(String key) {
        String full = fullKey(key);
        try {
            return Optional.of(client.getObjectAsBytes(b -> b.bucket(bucket).key(full)).asByteArrayUnsafe());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw failure("get " + key, e);
        }
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative offset or length");
        }
        if (length == 0) {
            // "bytes=n-(n-1)" is not a valid range: a server would answer with the whole object.
            if (!exists(key)) {
                throw new ObjectNotFoundException(key);
            }
            return new byte[0];
        }
        String full = fullKey(key);
        long last = offset + length - 1;
        String range = "bytes=" + offset + "-" + (last < 0 ? "" : last);
        try {
            ResponseBytes<GetObjectResponse> response = client.getObjectAsBytes(b -> b.bucket(bucket).key(full).range(range));
            byte[] body = response.asByteArrayUnsafe();
            if (response.response().contentRange() != null) {
                return body;
            }
            // HTTP lets a server ignore Range and send the whole object.
            int from = (int) Math.min(offset, body.length);
            return Arrays.copyOfRange(body, from, (int) Math.min((long) from + length, body.length));
        } catch (NoSuchKeyException e) {
            throw new ObjectNotFoundException(key);
        } catch (S3Exception e) {
            // 416: the object exists but ends before offset (or is empty).
            if (e.statusCode() == RANGE_NOT_SATISFIABLE) {
                return new byte[0];
            }
            throw failure("getRange " + key, e);
        } catch (SdkException e) {
            throw failure("getRange " + key, e);
        }
    }

    @Override
    public List<ObjectInfo> list(String prefix) {
        ObjectKeys.checkPrefix(prefix);
        List<ObjectInfo> result = new ArrayList<>();
        try {
            for (ListObjectsV2Response page : client.listObjectsV2Paginator(listRequest(prefix))) {
                for (S3Object object : page.contents()) {
                    result.add(new ObjectInfo(object.key().substring(keyPrefix.length()), object.size()));
                }
            }
        } catch (SdkException e) {
            throw failure("list " + prefix, e);
        }
        return result;
    }

    private ListObjectsV2Request listRequest(String prefix) {
        return ListObjectsV2Request.builder().bucket(bucket).prefix(keyPrefix + prefix).build();
    }

    @Override
    public boolean exists(String key) {
        String full = fullKey(key);
        try {
            client.headObject(b -> b.bucket(bucket).key(full));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (SdkException e) {
            throw failure("exists " + key, e);
        }
    }

    @Override
    public void delete(String key) {
        String full = fullKey(key);
        try {
            client.deleteObject(b -> b.bucket(bucket).key(full));
        } catch (SdkException e) {
            throw failure("delete " + key, e);
        }
    }

    @Override
    public void deletePrefix(String prefix) {
        ObjectKeys.checkPrefix(prefix);
        try {
            // Deleting a page's keys does not disturb the continuation token, which resumes after the page's last key.
            for (ListObjectsV2Response page : client.listObjectsV2Paginator(listRequest(prefix))) {
                List<ObjectIdentifier> ids = page.contents().stream()
                        .map(o -> ObjectIdentifier.builder().key(o.key()).build())
                        .toList();
                for (int from = 0; from < ids.size(); from += DELETE_BATCH) {
                    deleteBatch(ids.subList(from, Math.min(from + DELETE_BATCH, ids.size())));
                }
            }
        } catch (SdkException e) {
            throw failure("deletePrefix " + prefix, e);
        }
    }

    private void deleteBatch(List<ObjectIdentifier> ids) {
        DeleteObjectsResponse response = client.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(ids).quiet(true)));
        if (!response.errors().isEmpty()) {
            S3Error first = response.errors().getFirst();
            String message = "deleting " + response.errors().size() + " objects failed, first " + first.key() + ": "
                    + first.code() + " " + first.message();
            throw new UncheckedIOException(message, new IOException(message));
        }
    }

    private static UncheckedIOException failure(String operation, SdkException e) {
        String message = operation + " failed: " + e.getMessage();
        return new UncheckedIOException(message, new IOException(message, e));
    }

    @Override
    public void close() {
        client.close();
    }
}
