package dev.lethe.gateway;

import static dev.lethe.gateway.Fixture.REQUEST_ID;
import static dev.lethe.gateway.Fixture.SUBMITTER;
import static dev.lethe.gateway.Fixture.assertError;
import static dev.lethe.gateway.Fixture.get;
import static dev.lethe.gateway.Fixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;


import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.gateway.ledger.LedgerHealth;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthAndErrorsTest {

    private final Fixture fixture = new Fixture();

    @Test
    void shouldAnswerUpWithoutATokenWhenTheLedgerRuns() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = get(client, "/health", null);

            final JsonNode body = json(response);
            assertEquals(200, response.code());
            assertEquals("UP", body.path("status").asText());
            assertEquals("UP", body.path("checks").path("broker").asText());
            assertEquals("RUNNING", body.path("checks").path("ledger").asText());
        });
    }

    @Test
    void shouldAnswerDown503WhenTheBrokerCannotBeReached() {
        fixture.brokerReachable = false;
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = get(client, "/health", null);

            final JsonNode body = json(response);
            assertEquals(503, response.code());
            assertEquals("DOWN", body.path("status").asText());
            assertEquals("DOWN", body.path("checks").path("broker").asText());
        });
    }

    @Test
    void shouldAnswerDown503WithTheLedgerStateWhenTheLedgerDoesNotRun() {
        fixture.ledger.health = new LedgerHealth(false, "REBALANCING");
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = get(client, "/health", null);

            assertEquals(503, response.code());
            assertEquals("DOWN", json(response).path("status").asText());
            assertEquals("REBALANCING", json(response).path("checks").path("ledger").asText());
            assertEquals(List.of("1"), response.headers().get("Retry-After"), "a probe or client is told when to ask again");
        });
    }

    @Test
    void shouldAnswerAnUnknownRouteWithTheErrorBody() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertError(get(client, "/v1/nothing-here", SUBMITTER), 404, "not_found", null);
        });
    }

    @Test
    void shouldAnswerAnUnexpectedFailureWith500AndAGenericMessage() {
        fixture.ledger.readFailure = new IllegalStateException("internal detail kim@example.com");
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = get(client, "/v1/erasures/" + REQUEST_ID, SUBMITTER);

            assertError(response, 500, "internal_error", null);
            assertFalse(response.body().string().contains("kim@example.com"));
        });
    }
}
