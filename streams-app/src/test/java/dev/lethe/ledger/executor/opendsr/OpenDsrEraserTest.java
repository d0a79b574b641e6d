package dev.lethe.ledger.executor.opendsr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.avro.CallbackOutcome;
import dev.lethe.avro.ErasureEvent;
import dev.lethe.avro.OpenDsrIdentity;
import dev.lethe.avro.OpenDsrSettings;
import dev.lethe.avro.SystemMode;
import dev.lethe.avro.SystemRegistration;
import dev.lethe.ledger.executor.Answer;
import dev.lethe.ledger.executor.Fixtures;
import dev.lethe.ledger.executor.Progress;
import dev.lethe.schemas.opendsr.FakeProcessor;
import dev.lethe.schemas.opendsr.Identities;
import dev.lethe.schemas.opendsr.Pki;
import dev.lethe.schemas.opendsr.Processors;
import dev.lethe.schemas.opendsr.SubjectRequestIds;
import dev.lethe.schemas.opendsr.TrustedRoots;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The opendsr eraser against a real (in-test) OpenDSR processor with its own CA. */
class OpenDsrEraserTest {

    private static final String SYSTEM = "analytics";
    private static final OpenDsrConfig CONFIG = new OpenDsrConfig(Optional.of(URI.create("https://lethe.example/")),
            Optional.empty(), Duration.ofMinutes(60));

    @TempDir
    Path dir;
    private FakeProcessor processor;
    private SystemRegistration system;

    @BeforeEach
    void start() throws Exception {
        processor = new FakeProcessor();
        final Path token = Files.writeString(dir.resolve("token"), "proc-token\n");
        system = SystemRegistration.newBuilder().setName(SYSTEM).setOwner("growth").setContact("g@example.com")
                .setMode(SystemMode.OPENDSR).setNamespaces(List.of("user_id", "email"))
                .setOpendsr(OpenDsrSettings.newBuilder().setUrl(processor.url())
                        .setIdentities(List.of(new OpenDsrIdentity("email", "email", "sha256"),
                                new OpenDsrIdentity("user_id", "controller_customer_id", "raw"),
                                new OpenDsrIdentity("user_id", "ios_advertising_id", "raw")))
                        .setCredentialsFile(token.toString()).setDomain(FakeProcessor.DOMAIN)
                        .setMaxAttempts(4).build())
                .build();
    }

    @AfterEach
    void stop() {
        processor.close();
    }

    private OpenDsrEraser eraser(Pki.Issued trusted) {
        final HttpClient client = HttpClient.newHttpClient();
        return new OpenDsrEraser(client, new Processors(client, TrustedRoots.of(List.of(trusted.certificate())),
                Clock.systemUTC(), Duration.ofMinutes(60)), CONFIG, Duration.ofMillis(1));
    }

    private static ErasureEvent reminder(ErasureEvent event) {
        return ErasureEvent.newBuilder(event).setReminder(true).setAttempt(2).build();
    }

    @Test
    void shouldFileWithMappedHashedIdentitiesAStableIdAndTheCallbackUrlAndKeepTheSignedReceipt() {
        final ErasureEvent event = Fixtures.event("req-1", "u-1", List.of(), SYSTEM);

        final Answer answer = eraser(processor.ca()).erase(event, system, Progress.NONE);

        final String id = SubjectRequestIds.of("req-1", SYSTEM);
        assertEquals(CallbackOutcome.PROGRESS, answer.outcome(), answer.detail());
        assertTrue(answer.detail().startsWith("opendsr receipt subject_request_id=" + id + " domain=processor.test"),
                answer.detail());
        assertTrue(answer.detail().contains(" signature="), answer.detail());
        final JsonNode filed = processor.filed().get(0);
        assertEquals(id, filed.path("subject_request_id").asText());
        assertEquals("erasure", filed.path("subject_request_type").asText());
        assertEquals("https://lethe.example/opendsr/v1/callbacks/analytics/req-1",
                filed.path("status_callback_urls").get(0).asText());
        // ios_advertising_id/raw is not in the processor's discovery document: left out
        assertEquals(2, filed.path("subject_identities").size(), filed.toString());
        assertEquals(Identities.encode("email", "sha256", "u-1@example.com"),
                filed.path("subject_identities").get(0).path("identity_value").asText());
        assertEquals("controller_customer_id", filed.path("subject_identities").get(1).path("identity_type").asText());
        assertEquals("Bearer proc-token", processor.authorizations().get(0));
        assertFalse(answer.detail().contains("u-1"), "no identifier in the evidence");
    }

    @Test
    void shouldRetryA429AfterItsRetryAfterAndA5xxThenFileOnce() {
        processor.failNext(429, 1);
        processor.failNext(503, -1);
        final long started = System.nanoTime();

        final Answer answer = eraser(processor.ca()).erase(Fixtures.event("req-2", "u-2", List.of(), SYSTEM), system,
                Progress.NONE);

        assertEquals(CallbackOutcome.PROGRESS, answer.outcome(), answer.detail());
        assertEquals(1, processor.filed().size());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofMillis(900)) >= 0,
                "waited for Retry-After");
    }

    @Test
    void shouldFailAfterItsAttemptsWhenTheProcessorKeepsFailing() {
        for (int i = 0; i < 4; i++) {
            processor.failNext(500, -1);
        }

        final Answer answer = eraser(processor.ca()).erase(Fixtures.event("req-3", "u-3", List.of(), SYSTEM), system,
                Progress.NONE);

        assertEquals(CallbackOutcome.FAILED, answer.outcome());
        assertTrue(answer.detail().startsWith("after 4 attempts"), answer.detail());
    }

    @Test
    void shouldFileTheSameSubjectRequestIdOnARetry() {
        final ErasureEvent event = Fixtures.event("req-4", "u-4", List.of(), SYSTEM);
        final OpenDsrEraser eraser = eraser(processor.ca());

        eraser.erase(event, system, Progress.NONE);
        eraser.erase(event, system, Progress.NONE);

        assertEquals(2, processor.filed().size());
        assertEquals(processor.filed().get(0).path("subject_request_id"),
                processor.filed().get(1).path("subject_request_id"));
    }

    @Test
    void shouldPollTheStatusOnAReminderAndAnswerDoneWithTheSignedStatus() {
        final ErasureEvent event = Fixtures.event("req-5", "u-5", List.of(), SYSTEM);
        final OpenDsrEraser eraser = eraser(processor.ca());
        eraser.erase(event, system, Progress.NONE);
        final String id = SubjectRequestIds.of("req-5", SYSTEM);

        final Answer pending = eraser.erase(reminder(event), system, Progress.NONE);
        processor.setStatus(id, "completed");
        final Answer done = eraser.erase(reminder(event), system, Progress.NONE);

        assertEquals(CallbackOutcome.PROGRESS, pending.outcome());
        assertTrue(pending.detail().startsWith("opendsr status status=pending"), pending.detail());
        assertEquals(CallbackOutcome.DONE, done.outcome());
        assertTrue(done.detail().startsWith("opendsr status status=completed subject_request_id=" + id),
                done.detail());
        assertEquals(1, processor.filed().size(), "polling files nothing");
    }

    @Test
    void shouldFileAgainOnAReminderWhenTheProcessorDoesNotKnowTheRequest() {
        final Answer answer = eraser(processor.ca()).erase(reminder(Fixtures.event("req-6", "u-6", List.of(), SYSTEM)),
                system, Progress.NONE);

        assertEquals(CallbackOutcome.PROGRESS, answer.outcome());
        assertTrue(processor.knows(SubjectRequestIds.of("req-6", SYSTEM)));
    }

    @Test
    void refusesAReceiptWhoseSignatureDoesNotVerify() {
        processor.forgeResponses();

        final Answer answer = eraser(processor.ca()).erase(Fixtures.event("req-7", "u-7", List.of(), SYSTEM), system,
                Progress.NONE);

        assertEquals(CallbackOutcome.FAILED, answer.outcome());
        assertTrue(answer.detail().contains("signature does not match"), answer.detail());
    }

    @Test
    void refusesAProcessorWhoseCertificateDoesNotChainToATrustedRoot() {
        final Answer answer = eraser(Pki.root("Another CA", Duration.ofDays(1)))
                .erase(Fixtures.event("req-8", "u-8", List.of(), SYSTEM), system, Progress.NONE);

        assertEquals(CallbackOutcome.FAILED, answer.outcome());
        assertTrue(answer.detail().contains("trusted root"), answer.detail());
        assertTrue(processor.filed().isEmpty(), "nothing filed with an untrusted processor");
    }

    @Test
    void shouldMapTheProcessorsStatusesToOutcomes() {
        assertEquals(CallbackOutcome.PROGRESS, OpenDsrStatuses.answer("pending", "e").outcome());
        assertEquals(CallbackOutcome.PROGRESS, OpenDsrStatuses.answer("in_progress", "e").outcome());
        assertEquals(CallbackOutcome.DONE, OpenDsrStatuses.answer("completed", "e").outcome());
        assertEquals(CallbackOutcome.FAILED, OpenDsrStatuses.answer("cancelled", "e").outcome());
    }
}
