package dev.lethe.ledger.executor.s3;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A real S3 client with throttling injected the way S3 does it: the first {@code wholeCalls}
 * DeleteObjects calls fail with {@code 503 SlowDown}, the next {@code partialCalls} delete only the
 * first half of their keys and report {@code SlowDown} for the rest; keys in {@link #leak} are
 * reported deleted but kept. Everything else passes through.
 */
final class ThrottlingS3Client implements S3Client {

    private final S3Client real;
    private final AtomicInteger wholeCalls;
    private final AtomicInteger partialCalls;
    final AtomicInteger deleteCalls = new AtomicInteger();
    /** Keys this client silently leaves in place while reporting them deleted (a store that lies). */
    final Set<String> leak = ConcurrentHashMap.newKeySet();

    ThrottlingS3Client(S3Client real, int wholeCalls, int partialCalls) {
        this.real = real;
        this.wholeCalls = new AtomicInteger(wholeCalls);
        this.partialCalls = new AtomicInteger(partialCalls);
    }

    @Override
    public DeleteObjectsResponse deleteObjects(DeleteObjectsRequest request) {
        deleteCalls.incrementAndGet();
        if (wholeCalls.getAndDecrement() > 0) {
            throw (S3Exception) S3Exception.builder().statusCode(503).message("Please reduce your request rate.")
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("SlowDown").build()).build();
        }
        if (partialCalls.getAndDecrement() > 0) {
            final List<ObjectIdentifier> keys = request.delete().objects();
            final List<ObjectIdentifier> now = keys.subList(0, keys.size() / 2);
            final List<S3Error> errors = new ArrayList<>();
            for (ObjectIdentifier later : keys.subList(keys.size() / 2, keys.size())) {
                errors.add(S3Error.builder().key(later.key()).code("SlowDown").build());
            }
            if (!now.isEmpty()) {
                real.deleteObjects(r -> r.bucket(request.bucket()).delete(d -> d.objects(now).quiet(true)));
            }
            return DeleteObjectsResponse.builder().errors(errors).build();
        }
        final List<ObjectIdentifier> kept = request.delete().objects().stream()
                .filter(o -> !leak.contains(o.key())).toList();
        return real.deleteObjects(r -> r.bucket(request.bucket()).delete(d -> d.objects(kept).quiet(true)));
    }

    @Override
    public ListObjectsV2Response listObjectsV2(ListObjectsV2Request request) {
        return real.listObjectsV2(request);
    }

    @Override
    public ListObjectVersionsResponse listObjectVersions(ListObjectVersionsRequest request) {
        return real.listObjectVersions(request);
    }

    @Override
    public HeadObjectResponse headObject(HeadObjectRequest request) {
        return real.headObject(request);
    }

    @Override
    public <T> T getObject(GetObjectRequest request, ResponseTransformer<GetObjectResponse, T> transformer) {
        return real.getObject(request, transformer);
    }

    @Override
    public ResponseBytes<GetObjectResponse> getObjectAsBytes(GetObjectRequest request) {
        return real.getObjectAsBytes(request);
    }

    @Override
    public String serviceName() {
        return real.serviceName();
    }

    @Override
    public void close() {
        // The real client belongs to the test's server.
    }
}
