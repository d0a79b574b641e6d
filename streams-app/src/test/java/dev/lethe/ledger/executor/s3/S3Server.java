package dev.lethe.ledger.executor.s3;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/** A real S3-compatible server (S3Proxy, in memory) on a free loopback port, with a client for it. */
public final class S3Server implements AutoCloseable {

    static final String ACCESS = "test-access";
    static final String SECRET = "test-secret-key";

    private final S3Proxy proxy;
    private final TransientNio2BlobStore store;
    private final S3Client client;
    private final URI endpoint;

    private S3Server(S3Proxy proxy, TransientNio2BlobStore store, URI endpoint) {
        this.proxy = proxy;
        this.store = store;
        this.endpoint = endpoint;
        this.client = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.US_EAST_1)
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)))
                // a test's own set-up calls (put, versioning) are sent again when a pooled connection the
                // server closed fails the write ("Error writing request body to server"); the code under
                // test brings its own retries, and the throttling tests inject theirs above the SDK
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy())
                        .addExecutionInterceptor(new NoExpectContinue()))
                .build();
    }

    public static S3Server start() throws Exception {
        final TransientNio2BlobStore store = new TransientNio2BlobStore();
        final S3Proxy proxy = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET)
                .build();
        proxy.start();
        return new S3Server(proxy, store, URI.create("http://127.0.0.1:" + proxy.getPort()));
    }

    public S3Client client() {
        return client;
    }

    public URI endpoint() {
        return endpoint;
    }

    public void createBucket(String bucket) {
        client.createBucket(r -> r.bucket(bucket));
    }

    /** Seeds one object straight into the blob store (see {@link #putAll}). */
    public void put(String bucket, String key, String body) {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        store.putBlob(PutObjectRequest.builder().bucket(bucket).key(key).contentLength((long) bytes.length).build(),
                new ByteArrayInputStream(bytes));
    }

    /**
     * Seeds many small objects straight into the server's blob store (no HTTP), 4 at a time:
     * the objects are then listed, read and deleted over the real S3 API by the code under test.
     */
    public void putAll(String bucket, List<String> keys) throws Exception {
        final ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            final List<Future<?>> uploads = new ArrayList<>();
            for (String key : keys) {
                uploads.add(pool.submit(() -> store.putBlob(
                        PutObjectRequest.builder().bucket(bucket).key(key).contentLength(1L).build(),
                        new ByteArrayInputStream(new byte[] {'x'}))));
            }
            for (Future<?> upload : uploads) {
                upload.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    public boolean exists(String bucket, String key) {
        return !client.listObjectsV2(r -> r.bucket(bucket).prefix(key)).contents().stream()
                .filter(o -> o.key().equals(key)).toList().isEmpty();
    }

    public int count(String bucket, String prefix) {
        int count = 0;
        for (var page : client.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix))) {
            count += page.keyCount();
        }
        return count;
    }

    @Override
    public void close() throws Exception {
        client.close();
        proxy.stop();
    }
}
