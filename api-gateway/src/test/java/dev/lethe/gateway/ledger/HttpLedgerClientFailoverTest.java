package dev.lethe.gateway.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.gateway.http.ApiException;
import dev.lethe.schemas.config.Secret;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link HttpLedgerClient} given several ledger instances: real HTTP to two (or more) small ledgers
 * served by Javalin in the test, or to a closed port for an instance that is down.
 */
class HttpLedgerClientFailoverTest {

    private static final String KNOWN = "6f1c2a3e-8b4d-4c5e-9f60-718293a4b5c6";
    private static final String INTERNAL = "internal-secret-0123456789abcdef-0123";

    private final List<Javalin> started = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stopLedgers() {
        release.countDown();
        started.forEach(Javalin::stop);
    }

    /** A small ledger instance; every call it receives is recorded as "METHOD path". */
    private final class Instance {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final Javalin server;

        /** {@code mode}: "running", "starting" (503 to everything, as QueryServer before it serves),
         *  "moving" (running, but 503 for the key), "missing" (running, 404 for the key),
         *  "hanging" (running, but answers no read before the test ends). */
        Instance(String name, String mode) {
            server = Javalin.create(config -> {
                config.startup.showJavalinBanner = false;
                config.routes.before(ctx -> calls.add(ctx.method().name() + " " + ctx.path()));
                config.routes.get("/internal/health", ctx -> {
                    if (mode.equals("starting")) {
                        ctx.status(503).header("Retry-After", "1").contentType("application/json")
                                .result("{\"status\":\"STARTING\",\"state\":\"STARTING\",\"streams\":\"CREATED\"}");
                    } else {
                        ctx.contentType("application/json").result("{\"status\":\"UP\",\"state\":\"RUNNING\"}");
                    }
                });
                config.routes.get("/internal/v1/requests/{id}", ctx -> {
                    switch (mode) {
                        case "starting" -> ctx.status(503).header("Retry-After", "1").contentType("application/json")
                                .result("{\"error\":\"unavailable\",\"message\":\"the ledger is starting\"}");
                        case "moving" -> ctx.status(503).header("Retry-After", "7").contentType("application/json")
                                .result("{\"error\":\"unavailable\",\"message\":\"ownership is moving\"}");
                        case "missing" -> ctx.status(404).result("{\"error\":\"not_found\"}");
                        case "hanging" -> ctx.result(release.await(10, TimeUnit.SECONDS) ? "{}" : "late");
                        default -> ctx.contentType("application/json").result(json(name));
                    }
                });
                config.routes.post("/internal/v1/subjects/lookup", ctx -> ctx.contentType("application/json")
                        .result("{\"subjectKey\":\"" + name + "\",\"open\":[]}"));
            }).start(0);
            started.add(server);
        }

        String url() {
            return "http://127.0.0.1:" + server.port();
        }

        long requestCalls() {
            return calls.stream().filter(call -> call.startsWith("GET /internal/v1/requests/")).count();
        }
    }

    private static String json(String instance) {
        return "{\"id\":\"" + KNOWN + "\",\"status\":\"RECEIVED\",\"answeredBy\":\"" + instance + "\"}";
    }

    private static HttpLedgerClient clientOf(String... urls) {
        return new HttpLedgerClient(String.join(",", urls), Secret.of(INTERNAL),
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build(),
                Duration.ofMillis(1500), Duration.ofSeconds(5), Clock.systemUTC());
    }

    @Test
    void shouldAnswerFromTheSecondInstanceWhenTheFirstIsDown() throws IOException {
        final Instance second = new Instance("second", "running");
        final HttpLedgerClient client = clientOf(closedUrl(), second.url());

        assertEquals(json("second"), client.request(KNOWN));
        assertTrue(client.lookup("email", "kim@example.com").contains("second"));
    }

    @Test
    void shouldAskTheSecondInstanceWhileTheFirstIsStarting() {
        final Instance first = new Instance("first", "starting");
        final Instance second = new Instance("second", "running");
        final HttpLedgerClient client = clientOf(first.url(), second.url());

        assertEquals(json("second"), client.request(KNOWN));
        assertEquals(1, first.requestCalls());
        assertEquals(1, second.requestCalls());
    }

    @Test
    void shouldGoStraightToTheInstanceThatAnsweredAfterAFailover() {
        final Instance first = new Instance("first", "starting");
        final Instance second = new Instance("second", "running");
        final HttpLedgerClient client = clientOf(first.url(), second.url());
        client.request(KNOWN);
        final int firstCallsAfterFailover = first.calls.size();

        assertEquals(json("second"), client.request(KNOWN));
        assertEquals(json("second"), client.request(KNOWN));

        assertEquals(firstCallsAfterFailover, first.calls.size());
        assertEquals(3, second.requestCalls());
    }

    @Test
    void shouldAnswerUnavailableAsBeforeWhenEveryInstanceIsDown() throws IOException {
        final HttpLedgerClient client = clientOf(closedUrl(), closedUrl());

        final ApiException e = assertThrows(ApiException.class, () -> client.request(KNOWN));

        assertEquals(503, e.status());
        assertEquals("unavailable", e.code());
        assertEquals("ledger unreachable", e.getMessage());
        assertTrue(e.retryAfterSeconds() > 0);
        assertEquals(new LedgerHealth(false, LedgerHealth.UNREACHABLE), client.health());
    }

    @Test
    void shouldAnswerTheStartingInstances503WhenTheOtherIsDown() throws IOException {
        final Instance first = new Instance("first", "starting");
        final HttpLedgerClient client = clientOf(first.url(), closedUrl());

        final ApiException e = assertThrows(ApiException.class, () -> client.request(KNOWN));

        assertEquals(503, e.status());
        assertEquals(1, e.retryAfterSeconds());
        assertEquals(1, first.requestCalls());
    }

    @Test
    void shouldNotAskAnotherInstanceWhenARunningInstanceAnswers503() {
        final Instance first = new Instance("first", "moving");
        final Instance second = new Instance("second", "running");
        final HttpLedgerClient client = clientOf(first.url(), second.url());

        final ApiException e = assertThrows(ApiException.class, () -> client.request(KNOWN));

        assertEquals(503, e.status());
        assertEquals(7, e.retryAfterSeconds());
        assertTrue(second.calls.isEmpty(), second.calls.toString());
    }

    @Test
    void shouldNotAskAnotherInstanceAfterA404() {
        final Instance first = new Instance("first", "missing");
        final Instance second = new Instance("second", "running");
        final HttpLedgerClient client = clientOf(first.url(), second.url());

        final ApiException e = assertThrows(ApiException.class, () -> client.request(KNOWN));

        assertEquals(404, e.status());
        assertTrue(second.calls.isEmpty(), second.calls.toString());
    }

    @Test
    void shouldNotRepeatACallThatTimedOutButStartTheNextCallAtTheNextInstance() {
        final Instance first = new Instance("first", "hanging");
        final Instance second = new Instance("second", "running");
        final HttpLedgerClient client = clientOf(first.url(), second.url());

        final ApiException e = assertThrows(ApiException.class, () -> client.request(KNOWN));
        assertEquals(503, e.status());
        assertEquals("ledger unreachable", e.getMessage());
        assertTrue(second.calls.isEmpty(), second.calls.toString());

        assertEquals(json("second"), client.request(KNOWN));
        assertEquals(1, first.requestCalls());
    }

    @Test
    void shouldReportHealthUpWhileAnyInstanceRuns() {
        final Instance first = new Instance("first", "starting");
        final Instance second = new Instance("second", "running");

        assertTrue(clientOf(first.url(), second.url()).health().up());
        final LedgerHealth starting = clientOf(first.url()).health();
        assertFalse(starting.up());
        assertEquals("STARTING", starting.state());
    }

    private static String closedUrl() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }
    }
}
