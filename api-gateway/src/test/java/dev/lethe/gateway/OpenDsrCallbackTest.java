package dev.lethe.gateway;

import static dev.lethe.gateway.Fixture.REQUEST_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.avro.CallbackOutcome;
import dev.lethe.avro.OpenDsrIdentity;
import dev.lethe.avro.OpenDsrSettings;
import dev.lethe.avro.SystemCallback;
import dev.lethe.avro.SystemMode;
import dev.lethe.avro.SystemRegistration;
import dev.lethe.gateway.opendsr.OpenDsrGateway;
import dev.lethe.gateway.opendsr.Signer;
import dev.lethe.schemas.opendsr.FakeProcessor;
import dev.lethe.schemas.opendsr.OpenDsrHeaders;
import dev.lethe.schemas.opendsr.SubjectRequestIds;
import dev.lethe.schemas.opendsr.TrustedRoots;
import dev.lethe.schemas.systems.SystemsJson;
import io.javalin.Javalin;
import io.javalin.testtools.JavalinTest;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Signed status callbacks from an OpenDSR processor (a real in-test server with its own CA). */
class OpenDsrCallbackTest {

    private static final String PATH = "/opendsr/v1/callbacks/analytics/" + REQUEST_ID;

    private final Fixture fixture = new Fixture();
    private FakeProcessor processor;
    private String subjectRequestId;

    @BeforeEach
    void start() {
        processor = new FakeProcessor();
        subjectRequestId = SubjectRequestIds.of(REQUEST_ID, "analytics");
        final SystemRegistration analytics = SystemRegistration.newBuilder().setName("analytics").setOwner("growth")
                .setContact("g@example.com").setMode(SystemMode.OPENDSR).setNamespaces(List.of("email"))
                .setOpendsr(OpenDsrSettings.newBuilder().setUrl(processor.url()).setDomain(FakeProcessor.DOMAIN)
                        .setIdentities(List.of(new OpenDsrIdentity("email", "email", "sha256"))).build())
                .build();
        fixture.ledger.registrations.put("analytics", SystemsJson.toJson(analytics).toString());
        fixture.ledger.requests.put(REQUEST_ID, FakeLedgerClient.requestJson(REQUEST_ID, "analytics"));
        fixture.ledger.audits.put(REQUEST_ID, "[]");
    }

    @AfterEach
    void stop() {
        processor.close();
    }

    /** The gateway's clock, moved by the tests. */
    private final java.util.concurrent.atomic.AtomicReference<java.time.Instant> now =
            new java.util.concurrent.atomic.AtomicReference<>(Fixture.NOW);
    private final java.time.Clock clock = new java.time.Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return now.get();
        }
    };

    private Javalin app() {
        final GatewayApp.Collaborators c = fixture.collaborators();
        return GatewayApp.create(new GatewayApp.Collaborators(c.events(), c.ledger(), c.authenticator(), clock,
                c.vocabulary(), c.confirmWait(), c.broker(), new OpenDsrGateway(
                OpenDsrGateway.processors(TrustedRoots.of(List.of(processor.ca().certificate()))),
                () -> Signer.local(null, "localhost"))), 0);
    }

    private String url(int port) {
        return "http://localhost:" + port + PATH;
    }

    @Test
    void shouldWriteAVerifiedCallbackWithItsSignedEvidence() {
        JavalinTest.test(app(), (server, client) -> {
            final FakeProcessor.Signed signed = processor.callback(subjectRequestId, url(server.port()), "completed",
                    false);

            final int status = processor.post(url(server.port()), signed, OpenDsrHeaders.SIGNATURE,
                    OpenDsrHeaders.DOMAIN);

            assertEquals(202, status);
            final SystemCallback written = fixture.events.callbacks.get(0);
            assertEquals(CallbackOutcome.DONE, written.getOutcome());
            assertEquals("analytics", written.getSystem());
            assertEquals("opendsr:processor.test", written.getActor());
            assertTrue(written.getDetail().startsWith("opendsr callback status=completed subject_request_id="
                    + subjectRequestId + " domain=processor.test certificate-sha256="), written.getDetail());
            assertTrue(written.getDetail().contains(" signature=" + signed.signature()), written.getDetail());
        });
    }

    @Test
    void shouldAcceptTheOpenGdprHeaderFamily() {
        JavalinTest.test(app(), (server, client) -> {
            final FakeProcessor.Signed signed = processor.callback(subjectRequestId, url(server.port()), "in_progress",
                    false);

            assertEquals(202, processor.post(url(server.port()), signed, OpenDsrHeaders.LEGACY_SIGNATURE,
                    OpenDsrHeaders.LEGACY_DOMAIN));
            assertEquals(CallbackOutcome.PROGRESS, fixture.events.callbacks.get(0).getOutcome());
        });
    }

    @Test
    void refusesAForgedCallbackWith403AndWritesNoCallback() {
        JavalinTest.test(app(), (server, client) -> {
            final FakeProcessor.Signed forged = processor.callback(subjectRequestId, url(server.port()), "completed",
                    true);

            assertEquals(403, processor.post(url(server.port()), forged, OpenDsrHeaders.SIGNATURE,
                    OpenDsrHeaders.DOMAIN));
            assertEquals(List.of(), fixture.events.callbacks);
        });
    }

    @Test
    void refusesManyForgedCallbacksWithoutFetchingTheProcessorAgainForEach() {
        JavalinTest.test(app(), (server, client) -> {
            final FakeProcessor.Signed forged = processor.callback(subjectRequestId, url(server.port()), "completed",
                    true);

            for (int i = 0; i < 10; i++) {
                assertEquals(403, processor.post(url(server.port()), forged, OpenDsrHeaders.SIGNATURE,
                        OpenDsrHeaders.DOMAIN));
            }

            assertTrue(processor.discoveryFetches() <= 2, "the first fetch and at most one refresh within the "
                    + "interval, not one per forged callback: " + processor.discoveryFetches());
            final FakeProcessor.Signed signed = processor.callback(subjectRequestId, url(server.port()), "completed",
                    false);
            assertEquals(202, processor.post(url(server.port()), signed, OpenDsrHeaders.SIGNATURE,
                    OpenDsrHeaders.DOMAIN), "the processor's own callback is still accepted");
            assertEquals(1, fixture.events.callbacks.size());
        });
    }

    @Test
    void shouldAuditARefusedCallbackInTheRequestsTrailAtMostOncePerMinute() {
        JavalinTest.test(app(), (server, client) -> {
            final FakeProcessor.Signed forged = processor.callback(subjectRequestId, url(server.port()), "completed",
                    true);

            for (int i = 0; i < 3; i++) {
                assertEquals(403, processor.post(url(server.port()), forged, OpenDsrHeaders.SIGNATURE,
                        OpenDsrHeaders.DOMAIN));
            }

            assertEquals(1, fixture.events.decisions.size(), "one audit within the minute");
            final dev.lethe.avro.Decision audited = fixture.events.decisions.get(0);
            assertEquals(REQUEST_ID, audited.getRequestId());
            final dev.lethe.avro.CallbackRefused refused = (dev.lethe.avro.CallbackRefused) audited.getAction();
            assertEquals("analytics", refused.getSystem());
            assertEquals(dev.lethe.schemas.opendsr.Signatures.sha256(forged.body()), refused.getBodySha256());
            assertTrue(!refused.getReason().isBlank());
            assertEquals(List.of(), fixture.events.callbacks, "it changes nothing");

            now.set(Fixture.NOW.plusSeconds(61));
            assertEquals(403, processor.post(url(server.port()), forged, OpenDsrHeaders.SIGNATURE,
                    OpenDsrHeaders.DOMAIN));
            assertEquals(2, fixture.events.decisions.size(), "audited again once the minute is over");
        });
    }

    @Test
    void shouldAcceptTheGenuineCallbackAfterAForgedCopyOfItWasRefusedAndAudited() {
        JavalinTest.test(app(), (server, client) -> {
            final FakeProcessor.Signed forged = processor.callback(subjectRequestId, url(server.port()), "completed",
                    true);
            final String digest = dev.lethe.schemas.opendsr.Signatures.sha256(forged.body());
            // the ledger audited the refusal: its fact names the refused body's digest
            fixture.ledger.audits.put(REQUEST_ID, "[{\"type\":\"OPENDSR_CALLBACK_REFUSED\",\"system\":\"analytics\","
                    + "\"detail\":\"signature refused: forged; body-sha256=" + digest + "; nothing changed\"}]");

            final FakeProcessor.Signed genuine = processor.callback(subjectRequestId, url(server.port()), "completed",
                    false);

            assertEquals(202, processor.post(url(server.port()), genuine, OpenDsrHeaders.SIGNATURE,
                    OpenDsrHeaders.DOMAIN), "the same bytes, signed by the processor, are no replay");
            assertEquals(1, fixture.events.callbacks.size());
        });
    }

    @Test
    void shouldOnlyLogARefusedCallbackAboutARequestThatDoesNotTargetTheSystem() {
        fixture.ledger.requests.put(REQUEST_ID, FakeLedgerClient.requestJson(REQUEST_ID, "billing"));
        JavalinTest.test(app(), (server, client) -> {
            final FakeProcessor.Signed forged = processor.callback(subjectRequestId, url(server.port()), "completed",
                    true);

            assertEquals(403, processor.post(url(server.port()), forged, OpenDsrHeaders.SIGNATURE,
                    OpenDsrHeaders.DOMAIN));
            assertEquals(List.of(), fixture.events.decisions);
        });
    }

    @Test
    void shouldNotLetARefusalAboutASystemTheRequestDoesNotTargetTakeTheWindow() {
        fixture.ledger.requests.put(REQUEST_ID, FakeLedgerClient.requestJson(REQUEST_ID, "billing"));
        JavalinTest.test(app(), (server, client) -> {
            final FakeProcessor.Signed forged = processor.callback(subjectRequestId, url(server.port()), "completed",
                    true);
            assertEquals(403, processor.post(url(server.port()), forged, OpenDsrHeaders.SIGNATURE,
                    OpenDsrHeaders.DOMAIN));

            fixture.ledger.requests.put(REQUEST_ID, FakeLedgerClient.requestJson(REQUEST_ID, "analytics"));
            assertEquals(403, processor.post(url(server.port()), forged, OpenDsrHeaders.SIGNATURE,
                    OpenDsrHeaders.DOMAIN));

            assertEquals(1, fixture.events.decisions.size(), "the real request's refusal is audited");
        });
    }

    @Test
    void shouldOnlyLogARefusedCallbackAboutAFinishedRequestOrASettledSystem() {
        JavalinTest.test(app(), (server, client) -> {
            final FakeProcessor.Signed forged = processor.callback(subjectRequestId, url(server.port()), "completed",
                    true);
            fixture.ledger.requests.put(REQUEST_ID, FakeLedgerClient.requestInState(REQUEST_ID, "COMPLETED", "DONE",
                    "analytics"));
            assertEquals(403, processor.post(url(server.port()), forged, OpenDsrHeaders.SIGNATURE,
                    OpenDsrHeaders.DOMAIN));
            fixture.ledger.requests.put(REQUEST_ID, FakeLedgerClient.requestInState(REQUEST_ID, "IN_PROGRESS", "DONE",
                    "analytics"));
            assertEquals(403, processor.post(url(server.port()), forged, OpenDsrHeaders.SIGNATURE,
                    OpenDsrHeaders.DOMAIN));

            assertEquals(List.of(), fixture.events.decisions);
        });
    }

    @Test
    void refusesATamperedBody() {
        JavalinTest.test(app(), (server, client) -> {
            final FakeProcessor.Signed signed = processor.callback(subjectRequestId, url(server.port()), "pending",
                    false);
            final FakeProcessor.Signed tampered = new FakeProcessor.Signed(
                    signed.text().replace("pending", "completed").getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    signed.signature());

            assertEquals(403, processor.post(url(server.port()), tampered, OpenDsrHeaders.SIGNATURE,
                    OpenDsrHeaders.DOMAIN));
            assertEquals(List.of(), fixture.events.callbacks);
        });
    }

    @Test
    void shouldChangeNothingWhenASignedCallbackIsReplayed() {
        JavalinTest.test(app(), (server, client) -> {
            final FakeProcessor.Signed signed = processor.callback(subjectRequestId, url(server.port()), "completed",
                    false);
            assertEquals(202, processor.post(url(server.port()), signed, OpenDsrHeaders.SIGNATURE,
                    OpenDsrHeaders.DOMAIN));
            // the ledger applied it: its evidence is in the request's trail
            fixture.ledger.audits.put(REQUEST_ID, "[{\"seq\":1,\"type\":\"SYSTEM_DONE\",\"detail\":"
                    + Fixture.quote(fixture.events.callbacks.get(0).getDetail()) + "}]");

            final int again = processor.post(url(server.port()), signed, OpenDsrHeaders.SIGNATURE,
                    OpenDsrHeaders.DOMAIN);

            assertEquals(200, again);
            assertEquals(1, fixture.events.callbacks.size());
        });
    }

    @Test
    void refusesACallbackAboutAnotherSubjectRequestId() {
        JavalinTest.test(app(), (server, client) -> {
            final FakeProcessor.Signed other = processor.callback(SubjectRequestIds.of(REQUEST_ID, "other"),
                    url(server.port()), "completed", false);

            final var response = client.request(PATH, b -> b.header("Content-Type", "application/json")
                    .header(OpenDsrHeaders.SIGNATURE, other.signature())
                    .post(java.net.http.HttpRequest.BodyPublishers.ofByteArray(other.body())));

            Fixture.assertError(response, 400, "invalid_value", "subject_request_id");
            assertEquals(List.of(), fixture.events.callbacks);
        });
    }
}
