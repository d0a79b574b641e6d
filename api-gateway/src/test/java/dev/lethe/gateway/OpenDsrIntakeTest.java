package dev.lethe.gateway;

import static dev.lethe.gateway.Fixture.NOW;
import static dev.lethe.gateway.Fixture.SUBMITTER;
import static dev.lethe.gateway.Fixture.assertError;
import static dev.lethe.gateway.Fixture.get;
import static dev.lethe.gateway.Fixture.post;
import static dev.lethe.gateway.Fixture.send;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.avro.Cancelled;
import dev.lethe.avro.ErasureRequested;
import dev.lethe.schemas.opendsr.OpenDsrHeaders;
import dev.lethe.schemas.opendsr.Signatures;
import dev.lethe.schemas.opendsr.TrustedRoots;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;

/** Lethe as an OpenDSR processor: a portal files, reads and cancels requests in OpenDSR form, answered signed. */
class OpenDsrIntakeTest {

    private static final String SRID = "a7551968-d5d6-44b2-9831-815ac9017798";
    private static final String REQUEST = """
            {"subject_request_id": "a7551968-d5d6-44b2-9831-815ac9017798", "subject_request_type": "erasure",
             "submitted_time": "2026-03-01T10:00:00Z", "regulation": "gdpr", "api_version": "2.0",
             "subject_identities": [
               {"identity_type": "email", "identity_value": "jane@example.com", "identity_format": "raw"},
               {"identity_type": "android_advertising_id", "identity_value": "38400000-8cf0-11bd-b23e-10b96e40000d",
                "identity_format": "raw"}],
             "status_callback_urls": ["https://portal.example/opendsr/callbacks"]}""";

    private final Fixture fixture = new Fixture();
    private final HttpClient http = HttpClient.newHttpClient();

    /** Calls the gateway with the JDK's client (raw bytes and headers), {@code token} as bearer when not null. */
    private HttpResponse<byte[]> call(int port, String method, String path, String token, String body)
            throws Exception {
        final HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Checks the answer's signature against the certificate Lethe serves; answers the raw body. */
    private byte[] verified(int port, HttpResponse<byte[]> response) throws Exception {
        final X509Certificate certificate = TrustedRoots.parse(
                call(port, "GET", "/opendsr/v1/certificate.pem", null, null).body()).get(0);
        assertEquals("localhost", response.headers().firstValue(OpenDsrHeaders.DOMAIN).orElse(null));
        assertDoesNotThrow(() -> Signatures.verify(certificate, response.body(),
                response.headers().firstValue(OpenDsrHeaders.SIGNATURE).orElse(null)));
        return response.body();
    }

    private static JsonNode tree(byte[] body) throws IOException {
        return Fixture.parse(new String(body, StandardCharsets.UTF_8));
    }

    /** The fake ledger knows the written request, received at {@code NOW}, in {@code status}. */
    private void ledgerHas(String status) {
        fixture.ledgerKnowsWrittenRequests();
        final ErasureRequested written = fixture.events.requests.get(0);
        final ObjectNode view = (ObjectNode) Fixture.parse(fixture.ledger.requests.get(written.getRequestId()));
        view.put("status", status).put("requestedAt", NOW.toString());
        fixture.ledger.requests.put(written.getRequestId(), view.toString());
    }

    @Test
    void shouldNameTheSameExpectedCompletionTimeInTheReceiptThePortalAndTheStatusWithAMicrosecondClock() {
        final java.time.Instant micros = NOW.plusNanos(456_000);
        fixture.clock = java.time.Clock.fixed(micros, java.time.ZoneOffset.UTC);
        JavalinTest.test(fixture.app(), (server, client) -> {
            final JsonNode receipt = tree(verified(server.port(), call(server.port(), "POST", "/opendsr/v1/requests",
                    SUBMITTER, REQUEST)));
            final ErasureRequested written = fixture.events.requests.get(0);

            // the ledger keeps requestedAt in milliseconds: GET status answers from that
            final String expected = NOW.plus(java.time.Duration.ofDays(30)).toString();
            assertEquals(expected, written.getOpendsr().getExpectedCompletionTime());
            assertEquals(expected, receipt.path("expected_completion_time").asText());
            assertEquals(NOW.toString(), receipt.path("received_time").asText());
        });
    }

    @Test
    void shouldFileAnOpenDsrRequestAndAnswerASignedReceipt() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            final HttpResponse<byte[]> response = call(server.port(), "POST", "/opendsr/v1/requests", SUBMITTER,
                    REQUEST);

            assertEquals(201, response.statusCode());
            final JsonNode receipt = tree(verified(server.port(), response));
            assertEquals(SRID, receipt.path("subject_request_id").asText());
            assertEquals(NOW.toString(), receipt.path("received_time").asText());
            assertEquals(REQUEST, new String(java.util.Base64.getDecoder().decode(
                    receipt.path("encoded_request").asText()), StandardCharsets.UTF_8));
            final ErasureRequested written = fixture.events.requests.get(0);
            assertEquals("email", written.getSubject().getNamespace());
            assertTrue(written.getIdentifiers().stream().anyMatch(i -> i.getNamespace().equals("device_id")));
            assertEquals("GDPR", written.getJurisdiction());
            assertEquals("opendsr:submitter", written.getSource());
            assertEquals(SRID, written.getOpendsr().getSubjectRequestId());
            assertEquals("submitter", written.getOpendsr().getControllerId());
            assertEquals(receipt.path("expected_completion_time").asText(),
                    written.getOpendsr().getExpectedCompletionTime());
            assertEquals(java.util.List.of("https://portal.example/opendsr/callbacks"),
                    written.getOpendsr().getCallbackUrls());
        });
    }

    @Test
    void refusesACallbackUrlWhoseHostIsNotAllowedAndWritesNothing() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = post(client, "/opendsr/v1/requests", SUBMITTER, REQUEST.replace(
                    "[\"https://portal.example/opendsr/callbacks\"]",
                    "[\"https://portal.example/ok\", \"https://169.254.169.254/latest/meta-data\"]"));

            assertError(response, 400, "invalid_value", "status_callback_urls[1]");
            assertTrue(Fixture.json(response).path("message").asText().contains("LETHE_OPENDSR_PORTAL_HOSTS"));
            assertTrue(fixture.events.requests.isEmpty());
        });
    }

    @Test
    void refusesAPlainHttpCallbackUrlToAHostThatIsNotLoopback() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = post(client, "/opendsr/v1/requests", SUBMITTER, REQUEST.replace(
                    "https://portal.example/opendsr/callbacks", "http://portal.example/opendsr/callbacks"));

            assertError(response, 400, "invalid_value", "status_callback_urls[0]");
            assertTrue(fixture.events.requests.isEmpty());
        });
    }

    @Test
    void refusesEveryCallbackUrlWhileNoPortalHostIsConfiguredAndNamesTheSetting() {
        fixture.opendsr = dev.lethe.gateway.opendsr.OpenDsrGateway.local();
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = post(client, "/opendsr/v1/requests", SUBMITTER, REQUEST);

            assertError(response, 400, "invalid_value", "status_callback_urls[0]");
            assertTrue(Fixture.json(response).path("message").asText().contains("set LETHE_OPENDSR_PORTAL_HOSTS"));
            assertTrue(fixture.events.requests.isEmpty());
        });
    }

    @Test
    void shouldAnswerTheFirstReceiptAgainWhenTheSameSubjectRequestIdIsFiledTwice() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            final byte[] first = call(server.port(), "POST", "/opendsr/v1/requests", SUBMITTER, REQUEST).body();
            ledgerHas("RECEIVED");

            final HttpResponse<byte[]> again = call(server.port(), "POST", "/opendsr/v1/requests", SUBMITTER, REQUEST);

            assertEquals(201, again.statusCode());
            assertArrayEquals(first, again.body());
            assertEquals(1, fixture.events.requests.size());
        });
    }

    @Test
    void shouldServeTheStatusSigned() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            post(client, "/opendsr/v1/requests", SUBMITTER, REQUEST);
            ledgerHas("COMPLETED");

            final HttpResponse<byte[]> response = call(server.port(), "GET", "/opendsr/v1/requests/" + SRID, SUBMITTER,
                    null);

            assertEquals(200, response.statusCode());
            final JsonNode status = tree(verified(server.port(), response));
            assertEquals("completed", status.path("request_status").asText());
            assertEquals(SRID, status.path("subject_request_id").asText());
        });
    }

    @Test
    void shouldCancelAPendingRequestAndRefuseOnceItIsInProgress() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            post(client, "/opendsr/v1/requests", SUBMITTER, REQUEST);
            ledgerHas("PENDING_APPROVAL");

            final HttpResponse<byte[]> cancelled = call(server.port(), "DELETE", "/opendsr/v1/requests/" + SRID,
                    SUBMITTER, null);
            ledgerHas("IN_PROGRESS");
            final Response late = send(client, "DELETE", "/opendsr/v1/requests/" + SRID, SUBMITTER, null);

            assertEquals(202, cancelled.statusCode());
            assertEquals(SRID, tree(verified(server.port(), cancelled)).path("subject_request_id").asText());
            assertTrue(fixture.events.decisions.get(0).getAction() instanceof Cancelled);
            assertError(late, 409, "conflict", null);
        });
    }

    @Test
    void refusesAHashedIdentityNamingTheField() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = post(client, "/opendsr/v1/requests", SUBMITTER,
                    REQUEST.replaceFirst("\"raw\"", "\"sha256\""));

            assertError(response, 400, "invalid_value", "subject_identities[0].identity_format");
            assertEquals(0, fixture.events.requests.size());
        });
    }

    @Test
    void refusesACallerWithoutAToken() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertEquals(401, post(client, "/opendsr/v1/requests", null, REQUEST).code());
            assertEquals(401, get(client, "/opendsr/v1/discovery", null).code());
        });
    }
}
