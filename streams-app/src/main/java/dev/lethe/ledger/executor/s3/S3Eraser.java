package dev.lethe.ledger.executor.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lethe.avro.ErasureEvent;
import dev.lethe.avro.S3Settings;
import dev.lethe.avro.SystemRegistration;
import dev.lethe.ledger.executor.Answer;
import dev.lethe.ledger.executor.Progress;
import dev.lethe.ledger.executor.SystemEraser;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.paginators.ListObjectVersionsIterable;

/**
 * The S3 executor's eraser: finds a subject's objects from the system's prefix templates (listed
 * page by page with ListObjectsV2, never held whole) and from the references carried in the
 * request (every shape {@link ReferenceParser} reads, manifests expanded), deletes them with
 * {@link BatchDeleter}, then lists and checks again and records what it found as evidence.
 *
 * <p>Order: references and manifests are resolved first (their keys are held, bounded by the
 * request itself: at most {@value #MAX_MANIFEST_ENTRIES} entries per manifest); the prefix
 * listing streams and skips keys already named by a reference; manifest objects are deleted last,
 * after the verification pass that re-reads them. With {@code allVersions} every version and
 * delete marker of each key is deleted. Answers: DONE with {@code itemsErased} (deletes the store
 * acknowledged; a key already gone counts as done), NOT_FOUND when the listing found nothing and
 * the request named no object in the system's buckets, FAILED when an object is still there
 * afterwards or S3 failed after its retries. Refused references are counted in the evidence,
 * never deleted. Details and logs never carry keys, which may contain identifiers.
 */
public final class S3Eraser implements SystemEraser {

    static final int MAX_MANIFEST_ENTRIES = 10_000;
    private static final long MAX_MANIFEST_BYTES = 4L * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(S3Eraser.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final S3Client s3;
    private final S3Retry retry;
    private final long progressEvery;

    public S3Eraser(S3Client s3, int maxAttempts, Duration retryBase, long progressEvery) {
        this.s3 = s3;
        this.retry = new S3Retry(maxAttempts, retryBase);
        this.progressEvery = progressEvery;
    }

    @Override
    public Answer erase(ErasureEvent event, SystemRegistration system, Progress progress) {
        try {
            return eraseOrThrow(event, system, progress);
        } catch (S3Exception e) {
            final String code = e.awsErrorDetails() == null ? "" : " " + e.awsErrorDetails().errorCode();
            return Answer.failed("S3 answered " + e.statusCode() + code + " after " + retry.maxAttempts() + " attempts");
        } catch (SdkClientException e) {
            return Answer.failed("S3 could not be reached after " + retry.maxAttempts() + " attempts: "
                    + e.getClass().getSimpleName());
        } catch (IllegalStateException e) {
            return Answer.failed(e.getMessage());
        }
    }

    private Answer eraseOrThrow(ErasureEvent event, SystemRegistration system, Progress progress) {
        final S3Settings settings = system.getS3();
        if (settings == null || settings.getBuckets().isEmpty()) {
            return Answer.failed("system " + system.getName() + " has no s3 buckets configured");
        }
        final List<ObjectRef> prefixes;
        try {
            prefixes = PrefixTemplates.expand(settings.getPrefixes(), settings.getBuckets(), event);
        } catch (IllegalArgumentException e) {
            return Answer.failed(e.getMessage());
        }
        final ReferenceParser parser = new ReferenceParser(settings.getBuckets(), settings.getCdnDomains());
        final Resolved resolved = resolve(event.getObjects(), parser);
        if (resolved.refused > 0) {
            LOG.warn("request {} system {}: refused {} object references ({})", event.getRequestId(),
                    system.getName(), resolved.refused, String.join("; ", resolved.reasons));
        }
        final boolean versions = settings.getAllVersions();
        final BatchDeleter deleter = new BatchDeleter(s3, retry, settings.getDeletesPerSecond(), progress, progressEvery);
        final long listed = deleteListed(prefixes, resolved.objects, versions, deleter);
        for (ObjectRef ref : resolved.objects) {
            deleteKey(ref, versions, deleter);
        }
        deleter.flush();
        final long left = countLeft(prefixes, resolved.objects, versions);
        for (ObjectRef manifest : resolved.manifests) {
            deleteKey(manifest, versions, deleter);
        }
        deleter.flush();
        final long manifestsLeft = countRefsLeft(resolved.manifests, versions);
        final String evidence = evidence(deleter.deleted(), listed, resolved, left + manifestsLeft);
        if (left + manifestsLeft > 0) {
            return Answer.failed(evidence);
        }
        if (listed == 0 && resolved.objects.isEmpty() && resolved.manifests.isEmpty()) {
            return Answer.notFound(evidence);
        }
        return Answer.done(deleter.deleted(), evidence);
    }

    private static String evidence(long deleted, long listed, Resolved resolved, long left) {
        final StringBuilder text = new StringBuilder()
                .append("deleted ").append(deleted).append(" objects (")
                .append(listed).append(" found by prefix listing, ")
                .append(resolved.objects.size()).append(" named by reference, ")
                .append(resolved.manifests.size()).append(" manifests); verification listing found ")
                .append(left).append(" left");
        if (resolved.refused > 0) {
            text.append("; refused ").append(resolved.refused).append(" references: ")
                    .append(String.join("; ", resolved.reasons));
        }
        return text.toString();
    }

    private long deleteListed(List<ObjectRef> prefixes, Set<ObjectRef> named, boolean versions, BatchDeleter deleter) {
        long listed = 0;
        for (ObjectRef prefix : prefixes) {
            if (versions) {
                for (var page : listVersions(prefix.bucket(), prefix.key())) {
                    for (ObjectVersion version : page.versions()) {
                        if (!named.contains(new ObjectRef(prefix.bucket(), version.key()))) {
                            deleter.add(prefix.bucket(), version.key(), version.versionId());
                            listed++;
                        }
                    }
                    for (DeleteMarkerEntry marker : page.deleteMarkers()) {
                        if (!named.contains(new ObjectRef(prefix.bucket(), marker.key()))) {
                            deleter.add(prefix.bucket(), marker.key(), marker.versionId());
                        }
                    }
                }
            } else {
                for (S3Object object : s3.listObjectsV2Paginator(
                        r -> r.bucket(prefix.bucket()).prefix(prefix.key())).contents()) {
                    if (!named.contains(new ObjectRef(prefix.bucket(), object.key()))) {
                        deleter.add(prefix.bucket(), object.key(), null);
                        listed++;
                    }
                }
            }
        }
        return listed;
    }

    private ListObjectVersionsIterable listVersions(String bucket, String prefix) {
        return s3.listObjectVersionsPaginator(r -> r.bucket(bucket).prefix(prefix));
    }

    private void deleteKey(ObjectRef ref, boolean versions, BatchDeleter deleter) {
        if (!versions) {
            deleter.add(ref.bucket(), ref.key(), null);
            return;
        }
        for (var page : listVersions(ref.bucket(), ref.key())) {
            for (ObjectVersion version : page.versions()) {
                if (version.key().equals(ref.key())) {
                    deleter.add(ref.bucket(), version.key(), version.versionId());
                }
            }
            for (DeleteMarkerEntry marker : page.deleteMarkers()) {
                if (marker.key().equals(ref.key())) {
                    deleter.add(ref.bucket(), marker.key(), marker.versionId());
                }
            }
        }
    }

    private long countLeft(List<ObjectRef> prefixes, Set<ObjectRef> named, boolean versions) {
        long left = 0;
        for (ObjectRef prefix : prefixes) {
            if (versions) {
                for (var page : listVersions(prefix.bucket(), prefix.key())) {
                    left += page.versions().size() + page.deleteMarkers().size();
                }
            } else {
                left += retry.call(() -> s3.listObjectsV2(r -> r.bucket(prefix.bucket()).prefix(prefix.key())
                        .maxKeys(BatchDeleter.MAX_BATCH)).keyCount());
            }
        }
        return left + countRefsLeft(named, versions);
    }

    private long countRefsLeft(Set<ObjectRef> refs, boolean versions) {
        return versions ? new RefChecker(s3, retry, true).countPresent(refs)
                : new ListingVerifier(s3, retry).countPresent(refs);
    }

    private Resolved resolve(List<String> references, ReferenceParser parser) {
        final Resolved resolved = new Resolved();
        for (String raw : references) {
            final Reference reference = parser.parse(raw);
            if (reference instanceof Reference.Object object) {
                resolved.objects.add(object.ref());
            } else if (reference instanceof Reference.Manifest manifest) {
                resolved.manifests.add(manifest.ref());
                expandManifest(manifest.ref(), parser, resolved);
            } else if (reference instanceof Reference.Refused refused) {
                resolved.refuse(refused.reason());
            }
        }
        return resolved;
    }

    private void expandManifest(ObjectRef manifest, ReferenceParser parser, Resolved resolved) {
        final JsonNode root;
        try {
            final ResponseBytes<GetObjectResponse> bytes = retry.call(() ->
                    s3.getObjectAsBytes(r -> r.bucket(manifest.bucket()).key(manifest.key())));
            if (bytes.response().contentLength() != null && bytes.response().contentLength() > MAX_MANIFEST_BYTES) {
                resolved.refuse("a manifest is larger than " + MAX_MANIFEST_BYTES + " bytes");
                return;
            }
            root = JSON.readTree(bytes.asByteArray());
        } catch (NoSuchKeyException e) {
            return;
        } catch (IOException | S3Exception e) {
            throw new IllegalStateException("cannot read a manifest in bucket " + manifest.bucket() + ": "
                    + e.getClass().getSimpleName(), e);
        }
        final List<JsonNode> entries = new ArrayList<>();
        final JsonNode list = root.isArray() ? root : root.has("keys") ? root.get("keys") : root.path("objects");
        list.forEach(entries::add);
        if (entries.size() > MAX_MANIFEST_ENTRIES) {
            resolved.refuse("a manifest lists more than " + MAX_MANIFEST_ENTRIES + " entries");
            return;
        }
        for (JsonNode entry : entries) {
            final String text = entry.isTextual() ? entry.asText() : entry.toString();
            final Reference reference = parser.parseManifestEntry(text, manifest.bucket());
            if (reference instanceof Reference.Object object) {
                resolved.objects.add(object.ref());
            } else if (reference instanceof Reference.Refused refused) {
                resolved.refuse(refused.reason());
            }
        }
    }

    /** References resolved for one request: the objects (deduplicated), manifests, and refusals. */
    private static final class Resolved {
        final Set<ObjectRef> objects = new LinkedHashSet<>();
        final Set<ObjectRef> manifests = new LinkedHashSet<>();
        final Set<String> reasons = new TreeSet<>();
        long refused;

        void refuse(String reason) {
            refused++;
            if (reasons.size() < 10) {
                reasons.add(reason);
            }
        }
    }
}
