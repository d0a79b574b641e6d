package dev.lethe.gateway;

import static dev.lethe.gateway.Fixture.APPROVER;
import static dev.lethe.gateway.Fixture.REQUEST_ID;
import static dev.lethe.gateway.Fixture.assertError;
import static dev.lethe.gateway.Fixture.json;
import static dev.lethe.gateway.Fixture.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.avro.Acknowledged;
import dev.lethe.avro.Cancelled;
import dev.lethe.avro.RetryFailed;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import org.junit.jupiter.api.Test;

/**
 * The decisions that resolve a request needing a person: an unrouted request is routed again
 * (retry) or cancelled with a reason; a contradiction is acknowledged with a reason.
 */
class AttentionDecisionsTest {

    private static final String BASE = "/v1/erasures/" + REQUEST_ID;

    private final Fixture fixture = new Fixture();

    /** A ledger answer for an IN_PROGRESS request with {@code attention} and the given targets. */
    private static String needing(String attention, String systemStatus, String... systems) {
        return FakeLedgerClient.requestInState(REQUEST_ID, "IN_PROGRESS", systemStatus, systems)
                .replace("\"overdue\":false,", "\"overdue\":false,\"attention\":[" + attention + "],");
    }

    @Test
    void shouldRouteAnUnroutedRequestAgainOnRetry() {
        fixture.ledger.requests.put(REQUEST_ID, needing("\"UNROUTED\"", "DISPATCHED"));
        fixture.ledger.afterWait.put(REQUEST_ID, needing("", "DISPATCHED", "billing"));
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = post(client, BASE + "/retry", APPROVER, "{\"note\": \"billing registered\"}");

            assertEquals(202, response.code(), response.body().string());
            assertEquals(new RetryFailed("billing registered"), fixture.events.decisions.get(0).getAction());
        });
    }

    @Test
    void refusesARetryThatStillRoutesToNoSystemWith409() {
        fixture.ledger.requests.put(REQUEST_ID, needing("\"UNROUTED\"", "DISPATCHED"));
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = post(client, BASE + "/retry", APPROVER, "{}");

            final JsonNode body = json(response);
            assertEquals(409, response.code(), body::toString);
            assertEquals("still_unrouted", body.path("error").asText());
            assertTrue(body.path("message").asText().contains("no registered system"), body.toString());
        });
    }

    @Test
    void shouldCancelAnUnroutedRequestWithAReason() {
        fixture.ledger.requests.put(REQUEST_ID, needing("\"UNROUTED\"", "DISPATCHED"));
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = post(client, BASE + "/cancel", APPROVER, "{\"reason\": \"namespace typo\"}");

            assertEquals(202, response.code(), response.body().string());
            assertEquals(new Cancelled("namespace typo"), fixture.events.decisions.get(0).getAction());
        });
    }

    @Test
    void shouldAcknowledgeAContradictionWithAReason() {
        fixture.ledger.requests.put(REQUEST_ID, needing("\"CONTRADICTED\"", "DONE", "billing"));
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = post(client, BASE + "/acknowledge", APPROVER,
                    "{\"reason\": \"billing confirmed the FAILED was stale\"}");

            assertEquals(202, response.code(), response.body().string());
            assertEquals(new Acknowledged("billing confirmed the FAILED was stale"),
                    fixture.events.decisions.get(0).getAction());
            assertEquals("approver", fixture.events.decisions.get(0).getActor());
        });
    }

    @Test
    void refusesToAcknowledgeWithoutAContradictionOrAReasonWithoutWriting() {
        fixture.ledger.requests.put(REQUEST_ID, needing("\"UNROUTED\"", "DISPATCHED"));
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertError(post(client, BASE + "/acknowledge", APPROVER, "{\"reason\": \"r\"}"), 409,
                    "invalid_transition", null);
            assertError(post(client, BASE + "/acknowledge", APPROVER, "{}"), 400, "missing_field", "reason");
            assertTrue(fixture.events.wroteNothing());
        });
    }
}
