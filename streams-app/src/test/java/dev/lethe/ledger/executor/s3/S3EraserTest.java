package dev.lethe.ledger.executor.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.avro.CallbackOutcome;
import dev.lethe.avro.SystemRegistration;
import dev.lethe.ledger.executor.Answer;
import dev.lethe.ledger.executor.Fixtures;
import dev.lethe.ledger.executor.Progress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;

/** The S3 eraser against a real S3-compatible server (S3Proxy, in process). */
class S3EraserTest {

    private static S3Server server;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3Server.start();
        for (String bucket : List.of("media", "archive", "foreign", "versioned")) {
            server.createBucket(bucket);
        }
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    private static S3Eraser eraser() {
        return new S3Eraser(server.client(), 3, Duration.ofMillis(10), 10_000);
    }

    private static SystemRegistration media() {
        return Fixtures.s3System("media", List.of("media", "archive"), List.of("users/{user_id}/"),
                Map.of("cdn.example.com", "media"), false, null);
    }

    @Test
    void shouldEraseListedAndReferencedObjectsAndNothingElse() {
        server.put("media", "users/100/a.jpg", "x");
        server.put("archive", "users/100/old/b.jpg", "x");
        server.put("media", "users/1000/keep.jpg", "x");
        server.put("media", "legacy/x y.jpg", "x");
        server.put("media", "legacy/keep.jpg", "x");
        server.put("foreign", "legacy/z.jpg", "x");
        final Answer answer = eraser().erase(Fixtures.event("r-100", "100", List.of(
                "https://cdn.example.com/legacy/x%20y.jpg",
                "s3://foreign/legacy/z.jpg")), media(), Progress.NONE);

        assertEquals(CallbackOutcome.DONE, answer.outcome());
        assertEquals(3L, answer.itemsErased());
        assertTrue(answer.detail().contains("found 0 left"), answer.detail());
        assertTrue(answer.detail().contains("refused 1 references"), answer.detail());
        assertFalse(server.exists("media", "users/100/a.jpg"));
        assertFalse(server.exists("archive", "users/100/old/b.jpg"));
        assertFalse(server.exists("media", "legacy/x y.jpg"));
        assertTrue(server.exists("media", "users/1000/keep.jpg"));
        assertTrue(server.exists("media", "legacy/keep.jpg"));
        assertTrue(server.exists("foreign", "legacy/z.jpg"), "a reference outside the system's buckets is never deleted");
    }

    @Test
    void shouldAnswerNotFoundWhenTheSubjectHasNothing() {
        final Answer answer = eraser().erase(Fixtures.event("r-200", "200", List.of()), media(), Progress.NONE);
        assertEquals(CallbackOutcome.NOT_FOUND, answer.outcome());
    }

    @Test
    void shouldExpandManifestsAndDeleteThemLast() {
        server.put("media", "extract/j1/0.png", "x");
        server.put("media", "extract/j1/1.png", "x");
        server.put("archive", "extract/j1/2.png", "x");
        server.put("media", "manifests/j1.json",
                "{\"keys\":[\"extract/j1/0.png\",\"https://media.s3.amazonaws.com/extract/j1/1.png\","
                        + "{\"bucket\":\"archive\",\"key\":\"extract/j1/2.png\"},\"extract/j1/gone.png\"]}");
        final Answer answer = eraser().erase(Fixtures.event("r-300", "300",
                List.of("manifest:s3://media/manifests/j1.json")), media(), Progress.NONE);

        assertEquals(CallbackOutcome.DONE, answer.outcome(), answer.detail());
        assertEquals(5L, answer.itemsErased(), "4 entries (one already gone counts as done) + the manifest");
        assertFalse(server.exists("media", "manifests/j1.json"));
        assertFalse(server.exists("archive", "extract/j1/2.png"));
    }

    @Test
    void shouldReportProgressDuringLongWork() throws Exception {
        final List<String> keys = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            keys.add("users/400/img-" + i + ".jpg");
        }
        server.putAll("media", keys);
        final List<Long> reports = new ArrayList<>();
        final Answer answer = new S3Eraser(server.client(), 3, Duration.ofMillis(10), 1_000)
                .erase(Fixtures.event("r-400", "400", List.of()), media(), (items, detail) -> reports.add(items));

        assertEquals(2_500L, answer.itemsErased());
        assertEquals(List.of(1_000L, 2_000L), reports);
        assertEquals(0, server.count("media", "users/400/"));
    }

    @Test
    void shouldEraseEveryVersionAndDeleteMarkerWhenConfigured() {
        server.client().putBucketVersioning(r -> r.bucket("versioned")
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        server.client().putObject(r -> r.bucket("versioned").key("users/500/a.jpg"), RequestBody.fromString("v1"));
        server.client().putObject(r -> r.bucket("versioned").key("users/500/a.jpg"), RequestBody.fromString("v2"));
        server.client().deleteObject(r -> r.bucket("versioned").key("users/500/a.jpg"));
        server.client().putObject(r -> r.bucket("versioned").key("users/501/keep.jpg"), RequestBody.fromString("v1"));
        final SystemRegistration versioned = Fixtures.s3System("v", List.of("versioned"), List.of("users/{user_id}/"),
                Map.of(), true, null);

        final Answer answer = eraser().erase(Fixtures.event("r-500", "500", List.of()), versioned, Progress.NONE);

        assertEquals(CallbackOutcome.DONE, answer.outcome(), answer.detail());
        final var left = server.client().listObjectVersions(r -> r.bucket("versioned").prefix("users/"));
        // every version left is the kept object's (a set-up put the SDK sent again made one more version of it)
        assertEquals(List.of("users/501/keep.jpg"), left.versions().stream().map(v -> v.key()).distinct().toList());
        assertTrue(left.deleteMarkers().isEmpty());
    }

    @Test
    void shouldFailWithAClearReasonForAnUnsafeTemplate() {
        final SystemRegistration unsafe = Fixtures.s3System("u", List.of("media"), List.of("users/"),
                Map.of(), false, null);
        final Answer answer = eraser().erase(Fixtures.event("r-600", "600", List.of()), unsafe, Progress.NONE);
        assertEquals(CallbackOutcome.FAILED, answer.outcome());
        assertTrue(answer.detail().contains("no placeholder"), answer.detail());
    }
}
