package dev.lethe.gateway;

import static dev.lethe.gateway.Fixture.SUBMITTER;
import static dev.lethe.gateway.Fixture.assertError;
import static dev.lethe.gateway.Fixture.json;
import static dev.lethe.gateway.Fixture.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.avro.DuplicateReceived;
import dev.lethe.avro.ErasureRequested;
import dev.lethe.gateway.http.ApiException;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchIntakeTest {

    private static final String PATH = "/v1/erasures/batch";

    private final Fixture fixture = new Fixture();

    /** One batch item for {@code userId}, with {@code extra} JSON fields appended (e.g. {@code , "idempotencyKey": "k"}). */
    static String item(String userId, String extra) {
        return "{\"subject\": {\"namespace\": \"user_id\", \"value\": \"" + userId + "\"}, \"jurisdiction\": \"GDPR\","
                + " \"reason\": \"account_deleted\", \"source\": \"accounts-service\"" + extra + "}";
    }

    static String batch(List<String> items) {
        return "{\"requests\": [" + String.join(", ", items) + "]}";
    }

    @Test
    void shouldAnswerEveryItemOnItsOwnInOrderAndWriteOnlyTheValidOnes() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = post(client, PATH, SUBMITTER, batch(List.of(item("u-1", ""),
                    item("u-2", ", \"graceDays\": 9999"), item("u-3", ", \"colour\": \"red\""), item("u-4", ""))));

            final JsonNode body = json(response);
            assertEquals(200, response.code(), body::toString);
            assertEquals(2, body.path("accepted").asInt());
            assertEquals(2, body.path("refused").asInt());
            final JsonNode results = body.path("results");
            assertEquals(4, results.size());
            for (int i = 0; i < 4; i++) {
                assertEquals(i, results.get(i).path("index").asInt());
            }
            assertEquals(202, results.get(0).path("code").asInt());
            assertEquals("RECEIVED", results.get(0).path("status").asText());
            assertEquals(400, results.get(1).path("code").asInt());
            assertEquals("requests[1].graceDays", results.get(1).path("field").asText());
            assertEquals("unknown_field", results.get(2).path("error").asText());
            assertEquals("requests[2].colour", results.get(2).path("field").asText());
            assertEquals(202, results.get(3).path("code").asInt());
            assertEquals(List.of(results.get(0).path("id").asText(), results.get(3).path("id").asText()),
                    fixture.events.requests.stream().map(ErasureRequested::getRequestId).toList());
            assertEquals("u-4", fixture.events.requests.get(1).getSubject().getValue());
        });
    }

    @Test
    void shouldWriteTheNewRequestsOfABatchTogether() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            final List<String> items = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                items.add(item("u-" + i, ""));
            }

            assertEquals(200, post(client, PATH, SUBMITTER, batch(items)).code());

            assertEquals(List.of(50), fixture.events.batches);
        });
    }

    @Test
    void shouldTakeAThousandItemsAndRefuseMoreWith413WritingNothing() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            final List<String> items = new ArrayList<>(Collections.nCopies(1_000, item("u-same", "")));
            assertEquals(1_000, json(post(client, PATH, SUBMITTER, batch(items))).path("accepted").asInt());
            fixture.events.requests.clear();

            items.add(item("u-one-more", ""));
            final Response response = post(client, PATH, SUBMITTER, batch(items));

            assertError(response, 413, "batch_too_large", "requests");
            assertTrue(fixture.events.requests.isEmpty());
        });
    }

    @Test
    void shouldRefuseABatchWithoutRequestsWith400() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertError(post(client, PATH, SUBMITTER, "{\"requests\": []}"), 400, "invalid_value", "requests");
            assertError(post(client, PATH, SUBMITTER, "{}"), 400, "missing_field", "requests");
            assertError(post(client, PATH, SUBMITTER, "{\"requests\": {}}"), 400, "invalid_type", "requests");
            assertError(post(client, PATH, SUBMITTER, "{\"requests\": [], \"more\": 1}"), 400, "unknown_field", null);
            assertError(post(client, PATH, SUBMITTER, "[{\"requests\": 1}"), 400, "malformed_json", null);
            assertTrue(fixture.events.requests.isEmpty());
        });
    }

    @Test
    void shouldRefuseAnItemThatIsNotAnObjectOrHasABadStringAlone() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            final JsonNode results = json(post(client, PATH, SUBMITTER, batch(List.of("42",
                    item("u-\\u0000", ""), item("u-ok", ""))))).path("results");

            assertEquals("invalid_type", results.get(0).path("error").asText());
            assertEquals("requests[0]", results.get(0).path("field").asText());
            assertEquals(400, results.get(1).path("code").asInt());
            assertEquals("requests[1].subject.value", results.get(1).path("field").asText());
            assertEquals(202, results.get(2).path("code").asInt());
            assertEquals(1, fixture.events.requests.size());
        });
    }

    @Test
    void shouldGiveAnItemKeyTheIdOfTheSameHeaderKeyAndReplayItsAnswer() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response single = IntakeIdempotencyTest.postWithKey(client, SUBMITTER, "order-7", item("u-7", ""));
            fixture.ledgerKnowsWrittenRequests();

            final JsonNode results = json(post(client, PATH, SUBMITTER, batch(List.of(
                    item("u-7", ", \"idempotencyKey\": \"order-7\""),
                    item("u-7", ", \"graceDays\": 3, \"idempotencyKey\": \"order-7\""))))).path("results");

            final String id = json(single).path("id").asText();
            assertEquals(202, results.get(0).path("code").asInt());
            assertEquals(id, results.get(0).path("id").asText());
            assertEquals(422, results.get(1).path("code").asInt());
            assertEquals("idempotency_key_reused", results.get(1).path("error").asText());
            assertEquals(1, fixture.events.requests.size(), "nothing written again");
        });
    }

    @Test
    void shouldFileTheSameKeyTwiceInOneBatchOnceAndRefuseItWithAnotherBody() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            final JsonNode results = json(post(client, PATH, SUBMITTER, batch(List.of(
                    item("u-8", ", \"idempotencyKey\": \"k-8\""),
                    item("u-8", ", \"idempotencyKey\": \"k-8\""),
                    item("u-9", ", \"idempotencyKey\": \"k-8\""),
                    item("u-8", ", \"idempotencyKey\": \"k 8\""))))).path("results");

            assertEquals(202, results.get(0).path("code").asInt());
            assertEquals(202, results.get(1).path("code").asInt());
            assertEquals(1, results.get(1).path("index").asInt());
            assertEquals(results.get(0).path("id").asText(), results.get(1).path("id").asText());
            assertEquals(422, results.get(2).path("code").asInt());
            assertEquals("requests[3].idempotencyKey", results.get(3).path("field").asText());
            assertEquals(1, fixture.events.requests.size());
        });
    }

    @Test
    void shouldAnswerAnItemForASubjectWithAnOpenRequestAsItsDuplicate() {
        fixture.ledger.subjects.put("user_id/u-open", "{\"subjectKey\":\"ab\",\"erased\":false,\"requests\":[\"r-1\"],"
                + "\"open\":[{\"id\":\"" + Fixture.REQUEST_ID + "\",\"status\":\"IN_PROGRESS\",\"scope\":null}]}");
        JavalinTest.test(fixture.app(), (server, client) -> {
            final JsonNode results = json(post(client, PATH, SUBMITTER, batch(List.of(
                    item("u-open", ""), item("u-new", ""))))).path("results");

            assertEquals(200, results.get(0).path("code").asInt());
            assertTrue(results.get(0).path("duplicate").asBoolean());
            assertEquals(Fixture.REQUEST_ID, results.get(0).path("id").asText());
            assertEquals(202, results.get(1).path("code").asInt());
            assertFalse(results.get(1).has("duplicate"));
            assertNotEquals(Fixture.REQUEST_ID, results.get(1).path("id").asText());
            assertEquals(new DuplicateReceived("accounts-service"), fixture.events.decisions.get(0).getAction());
            assertEquals(1, fixture.events.requests.size());
        });
    }

    @Test
    void shouldAnswerAnItemThatCouldNotBeWritten503() {
        fixture.events.failing = true;
        JavalinTest.test(fixture.app(), (server, client) -> {
            final JsonNode body = json(post(client, PATH, SUBMITTER, batch(List.of(item("u-1", "")))));

            assertEquals(0, body.path("accepted").asInt());
            assertEquals(503, body.path("results").get(0).path("code").asInt());
            assertEquals("unavailable", body.path("results").get(0).path("error").asText());
        });
    }

    /** As a single POST does: taking the requests matters more than spotting duplicates. */
    @Test
    void shouldFileTheItemsWithoutDuplicateDetectionWhenTheSubjectLookUpIsUnavailable() {
        fixture.ledger.lookupAllFailure = ApiException.unavailable("the ledger is rebalancing", 5);
        JavalinTest.test(fixture.app(), (server, client) -> {
            final JsonNode body = json(post(client, PATH, SUBMITTER, batch(List.of(item("u-1", ""), item("u-2", "")))));

            assertEquals(2, body.path("accepted").asInt(), body::toString);
            assertEquals(202, body.path("results").get(0).path("code").asInt());
            assertEquals(202, body.path("results").get(1).path("code").asInt());
            assertEquals(2, fixture.events.requests.size());
        });
    }

    @Test
    void shouldNameItsOwnItemInTheFieldOfAnAnswerCopiedFromTheSameKeyEarlierInTheBatch() {
        fixture.events.failing = true;
        JavalinTest.test(fixture.app(), (server, client) -> {
            final JsonNode results = json(post(client, PATH, SUBMITTER, batch(List.of(
                    item("u-7", ", \"idempotencyKey\": \"k-7\""),
                    item("u-7", ", \"idempotencyKey\": \"k-7\""))))).path("results");

            assertEquals(503, results.get(1).path("code").asInt());
            assertEquals("requests[0]", results.get(0).path("field").asText());
            assertEquals("requests[1]", results.get(1).path("field").asText());
        });
    }
}
