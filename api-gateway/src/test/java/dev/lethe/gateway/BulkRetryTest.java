package dev.lethe.gateway;

import static dev.lethe.gateway.Fixture.APPROVER;
import static dev.lethe.gateway.Fixture.assertError;
import static dev.lethe.gateway.Fixture.json;
import static dev.lethe.gateway.Fixture.post;
import static dev.lethe.gateway.Fixture.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.avro.RetryFailed;
import dev.lethe.gateway.erasure.BulkRetryHandler;
import dev.lethe.gateway.http.ApiException;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BulkRetryTest {

    private static final String A = "00000000-0000-4000-8000-00000000000a";
    private static final String B = "00000000-0000-4000-8000-00000000000b";
    private static final String C = "00000000-0000-4000-8000-00000000000c";

    private final Fixture fixture = new Fixture();

    @Test
    void shouldWriteOneRetryFailedPerMatchingRequestAcrossPages() {
        fixture.ledger.pages = query -> query.containsKey("cursor")
                ? "{\"items\": [" + FakeLedgerClient.requestInState(C, "IN_PROGRESS", "FAILED", "crm")
                        + "], \"next\": null}"
                : "{\"items\": [" + FakeLedgerClient.requestInState(A, "IN_PROGRESS", "FAILED", "billing") + ","
                        + FakeLedgerClient.requestInState(B, "COMPLETED", "DONE", "billing") + "], \"next\": \"p2\"}";
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = post(client, "/v1/erasures/retry", APPROVER,
                    "{\"system\": \"billing\", \"from\": \"2026-01-01T00:00:00Z\", \"note\": \"billing is back\"}");

            final JsonNode body = json(response);
            assertEquals(202, response.code(), body::toString);
            assertEquals(2, body.path("requests").asInt());
            assertEquals(A, body.path("ids").get(0).asText());
            assertEquals(C, body.path("ids").get(1).asText());
            assertFalse(body.path("truncated").asBoolean());
            assertTrue(body.path("next").isNull());
            assertEquals(2, fixture.events.decisions.size());
            assertEquals(new RetryFailed("billing is back"), fixture.events.decisions.get(0).getAction());
            assertEquals(Map.of("system", "billing", "from", "2026-01-01T00:00:00Z", "limit", "500",
                    "systemStatus", "FAILED"), fixture.ledger.listQueries.get(0));
            assertEquals("p2", fixture.ledger.listQueries.get(1).get("cursor"));
        });
    }

    @Test
    void shouldStopAtTheBoundAndGiveTheCursorToContinue() {
        fixture.ledger.pages = query -> {
            final StringBuilder items = new StringBuilder();
            for (int i = 0; i < Integer.parseInt(query.get("limit")); i++) {
                items.append(i == 0 ? "" : ",").append(FakeLedgerClient.requestInState(UUID.randomUUID().toString(),
                        "IN_PROGRESS", "FAILED", "billing"));
            }
            return "{\"items\": [" + items + "], \"next\": \"more\"}";
        };
        JavalinTest.test(fixture.app(), (server, client) -> {
            final JsonNode body = json(send(client, "POST", "/v1/erasures/retry", APPROVER, null));

            assertEquals(BulkRetryHandler.MAX_PER_CALL, body.path("requests").asInt());
            assertTrue(body.path("truncated").asBoolean());
            assertEquals("more", body.path("next").asText());
            assertEquals(BulkRetryHandler.MAX_PER_CALL, fixture.events.decisions.size());
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "'{\"system\": \"Not A Name\"}'   | system",
        "'{\"status\": \"DONE\"}'         | status",
        "'{\"from\": \"last week\"}'      | from",
        "'{\"colour\": \"red\"}'          | colour",
        "'{\"cursor\": \"\"}'             | cursor"
    })
    void shouldRefuseABadFilterWithoutListingOrWriting(String body, String field) {
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = post(client, "/v1/erasures/retry", APPROVER, body);

            assertEquals(400, response.code());
            assertEquals(field, json(response).path("field").asText());
            assertTrue(fixture.ledger.listQueries.isEmpty());
            assertTrue(fixture.events.wroteNothing());
        });
    }

    @Test
    void shouldAnswer503WithoutWritingWhenTheLedgerCannotList() {
        fixture.ledger.readFailure = ApiException.unavailable("rebalancing", 2);
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertError(post(client, "/v1/erasures/retry", APPROVER, "{}"), 503, "unavailable", null);
            assertTrue(fixture.events.wroteNothing());
        });
    }
}
