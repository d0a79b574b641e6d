package dev.lethe.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.avro.ErasureRequested;
import dev.lethe.gateway.auth.Authenticator;
import dev.lethe.gateway.auth.Role;
import dev.lethe.gateway.erasure.Vocabulary;
import io.javalin.Javalin;
import io.javalin.testtools.HttpClient;
import io.javalin.testtools.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** The gateway app over fakes, with a token per role and helpers to call it. */
final class Fixture {

    static final String SUBMITTER = "submitter-token-0000000001";
    static final String APPROVER = "approver-token-00000000002";
    static final String ADMIN = "admin-token-000000000000003";
    static final String BILLING = "partner-billing-token-00004";
    static final String CRM = "partner-crm-token-000000005";
    static final Instant NOW = Instant.parse("2026-03-01T10:15:30.123Z");
    static final Duration CONFIRM_WAIT = Duration.ofMillis(2500);
    static final String REQUEST_ID = "6f1c2a3e-8b4d-4c5e-9f60-718293a4b5c6";

    private static final ObjectMapper JSON = new ObjectMapper();

    final RecordingEventWriter events = new RecordingEventWriter();
    final FakeLedgerClient ledger = new FakeLedgerClient();
    volatile boolean brokerReachable = true;
    /** The data keys the gateway opens sealed identifiers with (issue 12); none by default. */
    volatile dev.lethe.gateway.erasure.KeyLookup keys = dev.lethe.gateway.erasure.KeyLookup.none();

    static Authenticator authenticator() {
        return Authenticator.none()
                .with(Role.SUBMITTER, SUBMITTER)
                .with(Role.APPROVER, APPROVER)
                .with(Role.ADMIN, ADMIN)
                .with(Role.partner("billing"), BILLING)
                .with(Role.partner("crm"), CRM);
    }

    /** Lethe's OpenDSR side: an in-memory self-signed pair; portals at portal.example may be called back. */
    dev.lethe.gateway.opendsr.OpenDsrGateway opendsr = new dev.lethe.gateway.opendsr.OpenDsrGateway(
            dev.lethe.gateway.opendsr.OpenDsrGateway.processors(dev.lethe.schemas.opendsr.TrustedRoots.jdkDefault()),
            () -> dev.lethe.gateway.opendsr.Signer.local(null, "localhost"),
            new dev.lethe.schemas.opendsr.PortalHosts(java.util.Set.of("portal.example")));

    /** The gateway's clock; fixed at {@code NOW} unless a test sets another. */
    volatile Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    Javalin app() {
        return GatewayApp.create(collaborators(), 0);
    }

    GatewayApp.Collaborators collaborators() {
        final Vocabulary vocabulary = new Vocabulary(List.of("user_id", "email", "phone", "account_id", "device_id",
                "customer_id"), List.of("GDPR", "CCPA", "CPRA", "PIPA"));
        return new GatewayApp.Collaborators(events, ledger, authenticator(), clock,
                vocabulary, CONFIRM_WAIT, () -> brokerReachable, opendsr, requestId -> keys.find(requestId));
    }

    /** POSTs {@code body} as JSON, with {@code token} as bearer when not null. */
    static Response post(HttpClient client, String path, String token, String body) {
        return client.request(path, builder -> {
            builder.post(HttpRequest.BodyPublishers.ofString(body));
            builder.header("Content-Type", "application/json");
            if (token != null) {
                builder.header("Authorization", "Bearer " + token);
            }
        });
    }

    /** Sends {@code method} {@code path} with {@code body} (null: none) and {@code token} as bearer when not null. */
    static Response send(HttpClient client, String method, String path, String token, String body) {
        return client.request(path, builder -> {
            final HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body);
            switch (method) {
                case "GET" -> builder.get();
                case "PUT" -> builder.put(publisher);
                case "DELETE" -> builder.delete(publisher);
                default -> builder.post(publisher);
            }
            if (body != null) {
                builder.header("Content-Type", "application/json");
            }
            if (token != null) {
                builder.header("Authorization", "Bearer " + token);
            }
        });
    }

    /** GETs {@code path} with {@code token} as bearer when not null. */
    static Response get(HttpClient client, String path, String token) {
        return client.request(path, builder -> {
            builder.get();
            if (token != null) {
                builder.header("Authorization", "Bearer " + token);
            }
        });
    }

    /** {@code text} as a JSON string literal. */
    static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes the fake ledger know every request written so far, fingerprint included, as the real one would. */
    void ledgerKnowsWrittenRequests() {
        for (final ErasureRequested request : events.requests) {
            final ObjectNode view = (ObjectNode) parse(FakeLedgerClient.requestInState(
                    request.getRequestId(), "RECEIVED", "PENDING"));
            view.put("fingerprint", request.getFingerprint());
            ledger.requests.put(request.getRequestId(), view.toString());
        }
    }

    static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(Response response) {
        try {
            return JSON.readTree(response.body().string());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts the status and the error body: its code, a message, and {@code field} (null: no field). */
    static void assertError(Response response, int status, String code, String field) {
        final JsonNode body = json(response);
        assertEquals(status, response.code(), () -> "answer: " + body);
        assertEquals(code, body.path("error").asText(), () -> "answer: " + body);
        assertEquals(false, body.path("message").asText().isBlank(), () -> "answer: " + body);
        if (field == null) {
            assertEquals(false, body.has("field"), () -> "answer: " + body);
        } else {
            assertEquals(field, body.path("field").asText(), () -> "answer: " + body);
        }
    }
}
