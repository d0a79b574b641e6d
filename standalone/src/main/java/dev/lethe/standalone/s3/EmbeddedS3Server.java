package dev.lethe.standalone.s3;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * The standalone run's S3-compatible server (S3Proxy) on loopback, keeping its objects in a
 * folder so they survive restarts, with one demo bucket created on first start. It signs with
 * the access/secret pair it is given; the standalone run generates that pair under
 * {@code data/secrets}.
 */
public final class EmbeddedS3Server implements AutoCloseable {

    private final S3Proxy proxy;
    private final URI endpoint;

    private EmbeddedS3Server(S3Proxy proxy, URI endpoint) {
        this.proxy = proxy;
        this.endpoint = endpoint;
    }

    /** Starts the server on {@code port} (0 = any free port) and creates {@code demoBucket} if missing. */
    public static EmbeddedS3Server start(Path dir, int port, String accessKey, String secretKey, String demoBucket) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the S3 data folder " + dir + ": " + e.getMessage(), e);
        }
        final BlobStore store = new FilesystemNio2BlobStore(dir.toAbsolutePath().toString());
        if (!store.containerExists(demoBucket)) {
            store.createContainer(demoBucket);
        }
        final S3Proxy proxy = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .build();
        try {
            proxy.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the embedded S3 server on port " + port + ": "
                    + e.getMessage(), e);
        }
        return new EmbeddedS3Server(proxy, URI.create("http://127.0.0.1:" + proxy.getPort()));
    }

    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
