package dev.lethe.gateway;

import static dev.lethe.gateway.Fixture.ADMIN;
import static dev.lethe.gateway.Fixture.BILLING;
import static dev.lethe.gateway.Fixture.CRM;
import static dev.lethe.gateway.Fixture.REQUEST_ID;
import static dev.lethe.gateway.Fixture.SUBMITTER;
import static dev.lethe.gateway.Fixture.json;
import static dev.lethe.gateway.Fixture.post;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.avro.Identifier;
import dev.lethe.avro.SealedIdentifiers;
import dev.lethe.schemas.crypto.Aead;
import dev.lethe.schemas.crypto.Sealing;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/erasures/{id}/systems/{system}/identifiers}: a partner opens sealed identifiers (issue 12). */
class OpenIdentifiersTest {

    private static final String BILLING_PATH = "/v1/erasures/" + REQUEST_ID + "/systems/billing/identifiers";
    private final Fixture fixture = new Fixture();
    private final byte[] dataKey = Aead.newKey();
    private final String sealed = Base64.getEncoder().encodeToString(Sealing.seal(dataKey, REQUEST_ID,
            new SealedIdentifiers(new Identifier("user_id", "u-5521"),
                    List.of(new Identifier("email", "open.me@example.com")), List.of("s3://media/u-5521/a.png"))));

    @BeforeEach
    void requestInProgressAtBillingAndCrm() {
        fixture.ledger.requests.put(REQUEST_ID,
                FakeLedgerClient.requestInState(REQUEST_ID, "IN_PROGRESS", "DISPATCHED", "billing", "crm"));
        fixture.keys = id -> REQUEST_ID.equals(id) ? Optional.of(dataKey) : Optional.empty();
    }

    private String body() {
        return "{\"sealed\": \"" + sealed + "\"}";
    }

    @Test
    void shouldOpenTheIdentifiersForThePartnerOfARoutedSystemWhileItsObligationIsOpen() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = post(client, BILLING_PATH, BILLING, body());

            final JsonNode answer = json(response);
            assertEquals(200, response.code(), answer::toString);
            assertEquals(List.of("no-store"), response.headers().get("Cache-Control"));
            assertEquals("u-5521", answer.path("subject").path("value").asText());
            assertEquals("open.me@example.com", answer.path("identifiers").get(0).path("value").asText());
            assertEquals("s3://media/u-5521/a.png", answer.path("objects").get(0).asText());
            assertEquals(200, post(client, BILLING_PATH, ADMIN, body()).code());
        });
    }

    @Test
    void refusesAnyoneButThePartnerOfThatSystemOrAdmin() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertEquals(403, post(client, BILLING_PATH, CRM, body()).code());
            assertEquals(403, post(client, BILLING_PATH, SUBMITTER, body()).code());
            assertEquals(401, post(client, BILLING_PATH, null, body()).code());
        });
    }

    @Test
    void refusesOnceTheSystemsObligationIsClosed() {
        fixture.ledger.requests.put(REQUEST_ID,
                FakeLedgerClient.requestInState(REQUEST_ID, "IN_PROGRESS", "DONE", "billing", "crm"));
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertEquals(409, post(client, BILLING_PATH, BILLING, body()).code());
            assertEquals(409, post(client, "/v1/erasures/" + REQUEST_ID + "/systems/telemetry/identifiers", ADMIN,
                    body()).code());
        });
    }

    @Test
    void answersGoneOnceTheDataKeyIsDestroyed() {
        fixture.keys = id -> Optional.empty();
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = post(client, BILLING_PATH, BILLING, body());
            assertEquals(410, response.code());
            assertEquals("key_destroyed", json(response).path("error").asText());
        });
    }

    @Test
    void refusesBytesThatAreNotSealedForThisRequest() {
        final String other = Base64.getEncoder().encodeToString(Sealing.seal(dataKey, "another-request",
                new SealedIdentifiers(new Identifier("user_id", "u-1"), List.of(), List.of())));
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = post(client, BILLING_PATH, BILLING, "{\"sealed\": \"" + other + "\"}");
            assertEquals(400, response.code());
            assertEquals("sealed", json(response).path("field").asText());
            assertEquals(400, post(client, BILLING_PATH, BILLING, "{\"sealed\": \"%%%\"}").code());
        });
    }

    @Test
    void answersUnavailableWhenTheGatewayHasNoKeyEncryptionKey() {
        fixture.keys = dev.lethe.gateway.erasure.KeyLookup.none();
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertEquals(503, post(client, BILLING_PATH, BILLING, body()).code());
        });
    }
}
