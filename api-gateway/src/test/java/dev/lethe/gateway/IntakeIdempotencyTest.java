package dev.lethe.gateway;

import static dev.lethe.gateway.ErasureIntakeTest.FULL;
import static dev.lethe.gateway.ErasureIntakeTest.MINIMAL;
import static dev.lethe.gateway.Fixture.ADMIN;
import static dev.lethe.gateway.Fixture.REQUEST_ID;
import static dev.lethe.gateway.Fixture.SUBMITTER;
import static dev.lethe.gateway.Fixture.assertError;
import static dev.lethe.gateway.Fixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.avro.DuplicateReceived;
import dev.lethe.avro.ErasureRequested;
import dev.lethe.gateway.http.ApiException;
import io.javalin.testtools.HttpClient;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

class IntakeIdempotencyTest {

    private static final String REORDERED = """
            {"source": "accounts-service", "reason": "account_deleted",
                 "jurisdiction": "GDPR", "subject": {"value": "u-1842", "namespace": "user_id"}}""";

    private final Fixture fixture = new Fixture();

    static Response postWithKey(HttpClient client, String token, String key, String body) {
        return client.request("/v1/erasures", builder -> {
            builder.post(HttpRequest.BodyPublishers.ofString(body));
            builder.header("Content-Type", "application/json");
            builder.header("Authorization", "Bearer " + token);
            if (key != null) {
                builder.header("Idempotency-Key", key);
            }
        });
    }

    @Test
    void shouldAnswerTheFirstAnswerAgainForTheSameKeyAndBodyWithoutWritingTwice() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response first = postWithKey(client, SUBMITTER, "order-1842-delete", MINIMAL);
            fixture.ledgerKnowsWrittenRequests();
            final Response second = postWithKey(client, SUBMITTER, "order-1842-delete", REORDERED);

            assertEquals(202, first.code());
            assertEquals(202, second.code());
            final String id = json(first).path("id").asText();
            assertEquals(id, json(second).path("id").asText());
            assertEquals(List.of("/v1/erasures/" + id), second.headers().get("Location"));
            assertEquals(1, fixture.events.requests.size());
        });
    }

    @Test
    void shouldRefuseTheSameKeyWithAnotherBodyWith422WithoutWriting() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            postWithKey(client, SUBMITTER, "order-1842-delete", MINIMAL);
            fixture.ledgerKnowsWrittenRequests();

            assertError(postWithKey(client, SUBMITTER, "order-1842-delete", FULL), 422, "idempotency_key_reused",
                    null);
            assertEquals(1, fixture.events.requests.size());
        });
    }

    @Test
    void shouldGiveTheSameKeyOfAnotherCallerAnotherId() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            final String mine = json(postWithKey(client, SUBMITTER, "k-1", MINIMAL)).path("id").asText();
            final String theirs = json(postWithKey(client, ADMIN, "k-1", MINIMAL)).path("id").asText();
            final String again = json(postWithKey(client, SUBMITTER, "k-1", MINIMAL)).path("id").asText();

            assertNotEquals(mine, theirs);
            assertEquals(mine, again);
        });
    }

    @Test
    void shouldWriteTheSameFingerprintForTheSameBodyInAnyKeyOrder() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            postWithKey(client, SUBMITTER, null, MINIMAL);
            postWithKey(client, SUBMITTER, null, REORDERED);
            postWithKey(client, SUBMITTER, null, FULL);

            final List<ErasureRequested> written = fixture.events.requests;
            assertEquals(64, written.get(0).getFingerprint().length());
            assertEquals(written.get(0).getFingerprint(), written.get(1).getFingerprint());
            assertNotEquals(written.get(0).getFingerprint(), written.get(2).getFingerprint());
        });
    }

    @Test
    void shouldRefuseABadIdempotencyKeyWithoutWriting() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertError(postWithKey(client, SUBMITTER, "x".repeat(201), MINIMAL), 400, "invalid_header", null);
            assertError(postWithKey(client, SUBMITTER, "has space", MINIMAL), 400, "invalid_header", null);
            assertTrue(fixture.events.wroteNothing());
        });
    }

    @Test
    void shouldAnswer503WithoutWritingWhenTheLedgerCannotSayWhetherTheKeyIsKnown() {
        fixture.ledger.readFailure = ApiException.unavailable("catching up", 2);
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = postWithKey(client, SUBMITTER, "k-2", MINIMAL);

            assertError(response, 503, "unavailable", null);
            assertEquals("2", response.headers().get("Retry-After").get(0));
            assertTrue(fixture.events.wroteNothing());
        });
    }

    @Test
    void shouldAnswerAnOpenRequestForTheSameSubjectAndScopeAsADuplicate() {
        fixture.ledger.subjects.put("user_id/u-1842", """
                {"subjectKey": "5ub", "erased": false, "lastErasedAt": null, "requests": ["%s"],
                 "open": [{"id": "%s", "status": "IN_PROGRESS", "scope": null}]}""".formatted(REQUEST_ID, REQUEST_ID));
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = postWithKey(client, SUBMITTER, null, MINIMAL);

            final JsonNode body = json(response);
            assertEquals(200, response.code(), body::toString);
            assertEquals(REQUEST_ID, body.path("id").asText());
            assertEquals("IN_PROGRESS", body.path("status").asText());
            assertEquals(true, body.path("duplicate").asBoolean());
            assertEquals(List.of("/v1/erasures/" + REQUEST_ID), response.headers().get("Location"));
            assertTrue(fixture.events.requests.isEmpty());
            assertEquals(REQUEST_ID, fixture.events.decisions.get(0).getRequestId());
            assertEquals(new DuplicateReceived("accounts-service"), fixture.events.decisions.get(0).getAction());
            assertEquals(List.of("user_id/u-1842"), fixture.ledger.lookups);
        });
    }

    @Test
    void shouldFileANewRequestWhenTheOpenOneHasAnotherScope() {
        fixture.ledger.subjects.put("user_id/u-1842", """
                {"subjectKey": "5ub", "erased": false, "lastErasedAt": null, "requests": ["%s"],
                 "open": [{"id": "%s", "status": "IN_PROGRESS", "scope": {"systems": ["crm"], "exclude": []}}]}"""
                .formatted(REQUEST_ID, REQUEST_ID));
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response unscoped = postWithKey(client, SUBMITTER, null, MINIMAL);
            final Response scopedAlike = postWithKey(client, SUBMITTER, null, MINIMAL.replace("\"source\"",
                    "\"scope\": {\"systems\": [\"crm\"]}, \"source\""));

            assertEquals(202, unscoped.code());
            assertEquals(200, scopedAlike.code());
            assertEquals(1, fixture.events.requests.size());
            assertEquals(1, fixture.events.decisions.size());
        });
    }

    @Test
    void shouldFileWithoutDuplicateDetectionWhenTheLedgerHasNoLookUpRoute() {
        fixture.ledger.lookupFailure = ApiException.notFound("not found");
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertEquals(202, postWithKey(client, SUBMITTER, null, MINIMAL).code());
            assertEquals(1, fixture.events.requests.size());
        });
    }

    @Test
    void shouldStillTakeTheRequestWhenTheLookUpCannotAnswerYet() {
        // Taking an erasure request matters more than spotting a duplicate during a rebalance
        fixture.ledger.lookupFailure = ApiException.unavailable("rebalancing", 6);
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = postWithKey(client, SUBMITTER, null, MINIMAL);

            assertEquals(202, response.code());
            assertEquals(1, fixture.events.requests.size());
            assertTrue(fixture.events.decisions.isEmpty());
        });
    }

    @Test
    void shouldAnswerAgainWhenTheKnownRequestHasNoFingerprintToCompare() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            final String id = json(postWithKey(client, SUBMITTER, "k-3", MINIMAL)).path("id").asText();
            fixture.ledger.requests.put(id, FakeLedgerClient.requestJson(id).replace(",\"fingerprint\":\"f00d\"", ""));

            final Response again = postWithKey(client, SUBMITTER, "k-3", FULL);

            assertEquals(202, again.code());
            assertEquals(id, json(again).path("id").asText());
            assertEquals(1, fixture.events.requests.size());
        });
    }
}
