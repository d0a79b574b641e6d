package dev.lethe.ledger.executor.s3;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Verifies that named objects are gone: one HEAD per object (or, for versioned erasure, one
 * version listing per key), {@value #THREADS} at a time. Returns how many are still there.
 */
final class RefChecker {

    private static final int THREADS = 8;

    private final S3Client s3;
    private final S3Retry retry;
    private final boolean versions;

    RefChecker(S3Client s3, S3Retry retry, boolean versions) {
        this.s3 = s3;
        this.retry = retry;
        this.versions = versions;
    }

    long countPresent(Collection<ObjectRef> refs) {
        if (refs.isEmpty()) {
            return 0;
        }
        final ExecutorService pool = Executors.newFixedThreadPool(Math.min(THREADS, refs.size()));
        try {
            final List<List<ObjectRef>> slices = slices(refs);
            final List<Future<Long>> counts = new ArrayList<>();
            for (List<ObjectRef> slice : slices) {
                counts.add(pool.submit(() -> slice.stream().filter(this::present).count()));
            }
            long present = 0;
            for (Future<Long> count : counts) {
                present += count.get();
            }
            return present;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while verifying the erasure", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("verification failed: " + e.getCause().getClass().getSimpleName(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<List<ObjectRef>> slices(Collection<ObjectRef> refs) {
        final List<List<ObjectRef>> slices = new ArrayList<>();
        List<ObjectRef> current = new ArrayList<>();
        for (ObjectRef ref : refs) {
            current.add(ref);
            if (current.size() == 500) {
                slices.add(current);
                current = new ArrayList<>();
            }
        }
        if (!current.isEmpty()) {
            slices.add(current);
        }
        return slices;
    }

    private boolean present(ObjectRef ref) {
        if (versions) {
            final var page = retry.call(() -> s3.listObjectVersions(r -> r.bucket(ref.bucket()).prefix(ref.key())
                    .maxKeys(100)));
            return page.versions().stream().anyMatch(v -> v.key().equals(ref.key()))
                    || page.deleteMarkers().stream().anyMatch(m -> m.key().equals(ref.key()));
        }
        try {
            retry.call(() -> s3.headObject(r -> r.bucket(ref.bucket()).key(ref.key())));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }
}
