package dev.lethe.ledger.executor.s3;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Verifies that named objects are gone by listing again: the keys of each bucket are walked in
 * S3's order (UTF-8 bytes) and each ListObjectsV2 page, started just before the next unchecked
 * key, decides every named key it spans — up to 1,000 per call where a subject's objects lie
 * together. Where they are scattered among other objects (a page decides few keys) it checks
 * the next keys one by one with HEAD ({@link RefChecker}) before listing again, so the cost
 * never grows far beyond one call per key.
 */
final class ListingVerifier {

    private static final Comparator<String> S3_ORDER = (a, b) ->
            Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    private static final int PAGE = 1000;
    private static final int SPARSE_FACTOR = 20;
    private static final int HEAD_RUN = 50;

    private final S3Client s3;
    private final S3Retry retry;
    private final RefChecker heads;

    ListingVerifier(S3Client s3, S3Retry retry) {
        this.s3 = s3;
        this.retry = retry;
        this.heads = new RefChecker(s3, retry, false);
    }

    /** How many of {@code refs} still exist. */
    long countPresent(Collection<ObjectRef> refs) {
        final Map<String, NavigableSet<String>> byBucket = new HashMap<>();
        for (ObjectRef ref : refs) {
            byBucket.computeIfAbsent(ref.bucket(), b -> new TreeSet<>(S3_ORDER)).add(ref.key());
        }
        long present = 0;
        for (Map.Entry<String, NavigableSet<String>> bucket : byBucket.entrySet()) {
            present += countPresent(bucket.getKey(), bucket.getValue());
        }
        return present;
    }

    private long countPresent(String bucket, NavigableSet<String> keys) {
        long present = 0;
        String cursor = keys.isEmpty() ? null : keys.first();
        while (cursor != null) {
            final String from = cursor;
            final ListObjectsV2Response page = retry.call(() -> s3.listObjectsV2(r -> r.bucket(bucket)
                    .startAfter(from.substring(0, from.length() - 1)).maxKeys(PAGE)));
            final List<String> listed = page.contents().stream().map(S3Object::key).toList();
            final String last = Boolean.TRUE.equals(page.isTruncated()) ? listed.get(listed.size() - 1) : null;
            if (last != null && S3_ORDER.compare(last, cursor) < 0) {
                present += heads.countPresent(List.of(new ObjectRef(bucket, cursor)));
                cursor = keys.higher(cursor);
                continue;
            }
            final NavigableSet<String> decided = last == null ? keys.tailSet(cursor, true)
                    : keys.subSet(cursor, true, last, true);
            final Set<String> found = new HashSet<>(listed);
            present += decided.stream().filter(found::contains).count();
            cursor = last == null ? null : keys.higher(last);
            if (cursor != null && decided.size() * SPARSE_FACTOR < listed.size()) {
                final List<ObjectRef> run = keys.tailSet(cursor, true).stream().limit(HEAD_RUN)
                        .map(k -> new ObjectRef(bucket, k)).toList();
                present += heads.countPresent(run);
                cursor = keys.higher(run.get(run.size() - 1).key());
            }
        }
        return present;
    }
}
