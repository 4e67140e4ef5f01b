package io.elanus.storage.object.s3;

import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;

import java.net.URI;
import java.util.Properties;

/** An in-memory S3-compatible server (s3proxy) on a free loopback port, checking SigV4 signatures. */
public final class S3TestServer implements AutoCloseable {

    public static final String ACCESS_KEY = "elanus-test";
    public static final String SECRET_KEY = "elanus-test-secret";

    private final BlobStore blobStore;
    private final S3Proxy proxy;

    public S3TestServer() throws Exception {
        blobStore = BlobStores.create("transient", new Properties());
        proxy = S3Proxy.builder()
                .blobStore(blobStore)
                .awsAuthentication(AuthenticationType.AWS_V4, ACCESS_KEY, SECRET_KEY)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .stopTimeout(0)
                .build();
        proxy.start();
    }

    public int port() {
        return proxy.getPort();
    }

    S3ObjectStoreConfig config(String bucket, String rootPath) {
        return S3ObjectStoreConfig.of("127.0.0.1", proxy.getPort(), false, bucket, ACCESS_KEY, SECRET_KEY, rootPath);
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        blobStore.close();
    }
}
