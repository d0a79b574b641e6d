package dev.lethe.gateway;

import static dev.lethe.gateway.Fixture.APPROVER;
import static dev.lethe.gateway.Fixture.BILLING;
import static dev.lethe.gateway.Fixture.REQUEST_ID;
import static dev.lethe.gateway.Fixture.SUBMITTER;
import static dev.lethe.gateway.Fixture.assertError;
import static dev.lethe.gateway.Fixture.get;
import static dev.lethe.gateway.Fixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.gateway.http.ApiException;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ListsAndReadsTest {

    private final Fixture fixture = new Fixture();

    /** A cursor in the ledger's shape: URL-safe base64 of "f:" (a finishedAt list), 19 digits, '|', an id. */
    static final String FINISHED_CURSOR = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
            ("f:9223370271138275807|" + REQUEST_ID).getBytes(java.nio.charset.StandardCharsets.UTF_8));

    @Test
    void shouldPassTheFiltersToTheLedgerAndStripInternalFields() {
        fixture.ledger.pages = query -> "{\"items\": [" + FakeLedgerClient.requestJson(REQUEST_ID, "billing")
                + "], \"next\": \"c2\"}";
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = get(client, "/v1/erasures?status=IN_PROGRESS&system=billing&overdue=true"
                    + "&field=finishedAt&from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z&limit=20&cursor=" + FINISHED_CURSOR,
                    BILLING);

            final JsonNode body = json(response);
            assertEquals(200, response.code(), body::toString);
            assertEquals(REQUEST_ID, body.path("items").get(0).path("id").asText());
            assertFalse(body.path("items").get(0).has("fingerprint"));
            assertEquals("c2", body.path("next").asText());
            assertEquals(Map.of("status", "IN_PROGRESS", "system", "billing", "overdue", "true", "field",
                    "finishedAt", "from", "2026-01-01T00:00:00Z", "to", "2026-02-01T00:00:00Z", "limit", "20",
                    "cursor", FINISHED_CURSOR), fixture.ledger.listQueries.get(0));
        });
    }

    @Test
    void shouldPassTheSystemStatusFilterOfTheContractToTheLedger() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = get(client, "/v1/erasures?system=billing&systemStatus=FAILED", SUBMITTER);

            assertEquals(200, response.code(), response.body().string());
            assertEquals(Map.of("system", "billing", "systemStatus", "FAILED", "limit", "50"),
                    fixture.ledger.listQueries.get(0));
        });
    }

    @Test
    void shouldAskForFiftyByDefault() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertEquals(200, get(client, "/v1/erasures", SUBMITTER).code());
            assertEquals(Map.of("limit", "50"), fixture.ledger.listQueries.get(0));
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "status=DONE, status",
        "systemStatus=COMPLETED, systemStatus",
        "system=Bad!, system",
        "overdue=yes, overdue",
        "field=deadline, field",
        "from=yesterday, from",
        "to=2026-13-01T00:00:00Z, to",
        "from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z, to",
        "limit=0, limit",
        "limit=501, limit",
        "limit=ten, limit",
        "colour=red, colour",
        "status=RECEIVED&status=CANCELLED, status"
    })
    void shouldRefuseABadListParameterWith400NamingIt(String query, String field) {
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = get(client, "/v1/erasures?" + query, SUBMITTER);

            assertEquals(400, response.code());
            assertEquals(field, json(response).path("field").asText());
            assertTrue(fixture.ledger.listQueries.isEmpty());
        });
    }

    @Test
    void shouldAnswer503WithRetryAfterWhileTheLedgerRebalances() {
        fixture.ledger.readFailure = ApiException.unavailable("rebalancing", 3);
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = get(client, "/v1/erasures", SUBMITTER);

            assertError(response, 503, "unavailable", null);
            assertEquals("3", response.headers().get("Retry-After").get(0));
        });
    }

    @Test
    void shouldNotShowTheFingerprintOfARequest() {
        fixture.ledger.requests.put(REQUEST_ID, FakeLedgerClient.requestJson(REQUEST_ID, "billing"));
        JavalinTest.test(fixture.app(), (server, client) -> {
            final JsonNode body = json(get(client, "/v1/erasures/" + REQUEST_ID, SUBMITTER));

            assertEquals(REQUEST_ID, body.path("id").asText());
            assertFalse(body.has("fingerprint"));
        });
    }

    @Test
    void shouldRelayTheCertificateOfAFinishedRequest() {
        fixture.ledger.requests.put(REQUEST_ID, FakeLedgerClient.requestInState(REQUEST_ID, "COMPLETED", "DONE",
                "billing"));
        fixture.ledger.certificates.put(REQUEST_ID, "{\"id\": \"" + REQUEST_ID + "\", \"auditHead\": \"9a7c\"}");
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = get(client, "/v1/erasures/" + REQUEST_ID + "/certificate", APPROVER);

            assertEquals(200, response.code());
            assertEquals("9a7c", json(response).path("auditHead").asText());
        });
    }

    @Test
    void shouldAnswer409ForTheCertificateOfAnUnfinishedRequestAnd404ForAnUnknownOne() {
        fixture.ledger.requests.put(REQUEST_ID, FakeLedgerClient.requestJson(REQUEST_ID, "billing"));
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertError(get(client, "/v1/erasures/" + REQUEST_ID + "/certificate", APPROVER), 409, "not_finished",
                    null);
            assertError(get(client, "/v1/erasures/00000000-0000-4000-8000-000000000000/certificate", APPROVER), 404,
                    "not_found", null);
            assertError(get(client, "/v1/erasures/nope/certificate", APPROVER), 404, "not_found", null);
        });
    }

    @Test
    void shouldAnswerTheReIngestionGuardWithTheFirstFourFieldsOnly() {
        fixture.ledger.subjects.put("email/kim@example.com", """
                {"subjectKey": "5ub", "erased": true, "lastErasedAt": "2026-02-01T00:00:00Z",
                 "requests": ["%s"], "open": []}""".formatted(REQUEST_ID));
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = get(client, "/v1/subjects/email/kim@example.com", SUBMITTER);

            final JsonNode body = json(response);
            assertEquals(200, response.code(), body::toString);
            assertEquals("5ub", body.path("subjectKey").asText());
            assertTrue(body.path("erased").asBoolean());
            assertEquals("2026-02-01T00:00:00Z", body.path("lastErasedAt").asText());
            assertEquals(REQUEST_ID, body.path("requests").get(0).asText());
            assertFalse(body.has("open"));
        });
    }

    @Test
    void shouldAnswerANeverErasedSubjectWithNulls() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            final JsonNode body = json(get(client, "/v1/subjects/user_id/u-1", SUBMITTER));

            assertFalse(body.path("erased").asBoolean());
            assertTrue(body.path("lastErasedAt").isNull());
            assertTrue(body.path("requests").isEmpty());
        });
    }

    @Test
    void shouldRefuseAnUnknownNamespaceWithoutAskingTheLedger() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertError(get(client, "/v1/subjects/ssn/123", SUBMITTER), 400, "unknown_namespace", "namespace");
            assertTrue(fixture.ledger.lookups.isEmpty());
        });
    }
}
