package dev.lethe.gateway;

import static dev.lethe.gateway.Fixture.get;
import static dev.lethe.gateway.Fixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lethe.gateway.http.StartupGate;
import dev.lethe.gateway.ledger.LedgerHealth;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import org.junit.jupiter.api.Test;

/** {@code GET /livez} and {@code GET /readyz}: an orchestrator neither kills a starting gateway nor sends it traffic. */
class ProbesTest {

    private final Fixture fixture = new Fixture();

    @Test
    void shouldAnswerLiveButNotReadyWhileStarting() {
        JavalinTest.test(GatewayApp.create(fixture.collaborators(), 0, StartupGate.closed()), (server, client) -> {
            final Response live = get(client, "/livez", null);
            final Response ready = get(client, "/readyz", null);

            assertEquals(200, live.code());
            assertEquals("UP", json(live).path("status").asText());
            assertEquals(503, ready.code());
            assertEquals(java.util.List.of("1"), ready.headers().get("Retry-After"));
            assertEquals("STARTING", json(ready).path("status").asText());
        });
    }

    @Test
    void shouldAnswerReadyWithoutATokenWhenTheLedgerRunsAndTheBrokerAnswers() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response ready = get(client, "/readyz", null);

            assertEquals(200, ready.code());
            assertEquals("UP", json(ready).path("status").asText());
            assertEquals("RUNNING", json(ready).path("checks").path("ledger").asText());
        });
    }

    @Test
    void shouldStayLiveButNotReadyWhenNoLedgerAnswers() {
        fixture.ledger.health = new LedgerHealth(false, "UNREACHABLE");
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertEquals(200, get(client, "/livez", null).code());
            final Response ready = get(client, "/readyz", null);
            assertEquals(503, ready.code());
            assertEquals("UNREACHABLE", json(ready).path("checks").path("ledger").asText());
        });
    }

    @Test
    void shouldStayLiveButNotReadyWhenTheBrokerCannotBeReached() {
        fixture.brokerReachable = false;
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertEquals(200, get(client, "/livez", null).code());
            assertEquals(503, get(client, "/readyz", null).code());
        });
    }
}
