package dev.lethe.ledger.executor.s3;

import dev.lethe.ledger.executor.Progress;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;

/**
 * Deletes objects in {@code DeleteObjects} batches of up to 1,000 per bucket, holding at most one
 * open batch per bucket (so memory stays bounded however many objects stream through), within a
 * rate limit of deletes per second. {@code NoSuchKey} counts as done; keys the store throttles
 * ({@code SlowDown}) are retried with backoff; any other per-key error fails the erasure.
 */
final class BatchDeleter {

    static final int MAX_BATCH = 1000;
    private static final Set<String> ALREADY_GONE = Set.of("NoSuchKey", "NoSuchVersion");

    private final S3Client s3;
    private final S3Retry retry;
    private final RateLimiter limiter;
    private final int batchSize;
    private final Progress progress;
    private final long progressEvery;
    private final Map<String, List<ObjectIdentifier>> open = new HashMap<>();
    private long deleted;
    private long nextProgress;

    BatchDeleter(S3Client s3, S3Retry retry, int deletesPerSecond, Progress progress, long progressEvery) {
        this.s3 = s3;
        this.retry = retry;
        final int rate = Math.max(1, deletesPerSecond);
        this.batchSize = Math.min(MAX_BATCH, rate);
        this.limiter = RateLimiter.of("s3-deletes", RateLimiterConfig.custom()
                .limitForPeriod(rate).limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(Duration.ofDays(1)).build());
        this.progress = progress;
        this.progressEvery = progressEvery;
        this.nextProgress = progressEvery;
    }

    void add(String bucket, String key, String versionId) {
        final List<ObjectIdentifier> batch = open.computeIfAbsent(bucket, b -> new ArrayList<>(batchSize));
        batch.add(ObjectIdentifier.builder().key(key).versionId(versionId).build());
        if (batch.size() >= batchSize) {
            open.remove(bucket);
            delete(bucket, batch);
        }
    }

    void flush() {
        final List<String> buckets = List.copyOf(open.keySet());
        for (String bucket : buckets) {
            delete(bucket, open.remove(bucket));
        }
    }

    long deleted() {
        return deleted;
    }

    private void delete(String bucket, List<ObjectIdentifier> batch) {
        if (batch.isEmpty()) {
            return;
        }
        limiter.acquirePermission(batch.size());
        final List<ObjectIdentifier>[] remaining = new List[] {batch};
        retry.call(() -> {
            final DeleteObjectsResponse response = s3.deleteObjects(r -> r.bucket(bucket)
                    .delete(d -> d.objects(remaining[0]).quiet(true)));
            final List<ObjectIdentifier> again = new ArrayList<>();
            for (S3Error error : response.errors()) {
                if (ALREADY_GONE.contains(error.code())) {
                    continue;
                }
                if (S3Retry.PASSING_CODES.contains(error.code())) {
                    again.add(ObjectIdentifier.builder().key(error.key()).versionId(error.versionId()).build());
                } else {
                    throw new IllegalStateException("S3 refused to delete an object in bucket " + bucket
                            + ": " + error.code());
                }
            }
            deleted += remaining[0].size() - again.size();
            remaining[0] = again;
            if (!again.isEmpty()) {
                throw new S3Retry.PassingFailure(again.size() + " keys throttled in bucket " + bucket);
            }
            return null;
        });
        if (deleted >= nextProgress) {
            progress.report(deleted, "erasing: " + deleted + " objects deleted so far");
            nextProgress = deleted + progressEvery;
        }
    }
}
