package dev.lethe.gateway.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.gateway.events.Written;
import dev.lethe.gateway.http.ApiException;
import dev.lethe.gateway.http.Json;
import dev.lethe.schemas.config.Secret;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link HttpLedgerClient} against a small real ledger endpoint served by Javalin in the test. */
class HttpLedgerClientTest {

    private static final String KNOWN = "6f1c2a3e-8b4d-4c5e-9f60-718293a4b5c6";
    private static final String MIGRATING = "7a1c2a3e-8b4d-4c5e-9f60-718293a4b5c6";
    private static final String BROKEN = "8b1c2a3e-8b4d-4c5e-9f60-718293a4b5c6";
    private static final String SLOW = "9c1c2a3e-8b4d-4c5e-9f60-718293a4b5c6";
    private static final String KNOWN_JSON = "{\"id\":\"" + KNOWN + "\",\"status\":\"RECEIVED\",\"systems\":[]}";
    /** A request as an older ledger answers it whatever the view asked: with its internal fingerprint. */
    private static final String OLDER = "ad1c2a3e-8b4d-4c5e-9f60-718293a4b5c6";
    private static final String OLDER_JSON = "{\"id\":\"" + OLDER + "\",\"status\":\"RECEIVED\",\"fingerprint\":\"f00d\","
            + "\"systems\":[]}";
    private static final String SYSTEMS_JSON = """
            [{"name":"billing","owner":"billing-team","contact":"b@example.com","mode":"event",
              "namespaces":["user_id","email"],"jurisdictions":["GDPR"],"tags":[],"slaDays":30,"reminderHours":24,
              "addedLater":{"x":1}}]""";

    private static final String INTERNAL = "internal-secret-0123456789abcdef-0123";

    private final List<Map<String, List<String>>> queries = new CopyOnWriteArrayList<>();
    /** The Authorization header of every call the fake ledger received, in order ("none" when absent). */
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<String> lookups = new CopyOnWriteArrayList<>();
    private final List<String> batchLookups = new CopyOnWriteArrayList<>();
    private volatile boolean batchRoute = true;
    private final AtomicInteger systemsCalls = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile boolean running = true;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private Javalin ledger;
    private HttpLedgerClient client;

    @BeforeEach
    void startLedger() {
        ledger = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.routes.before(ctx -> authorizations.add(String.valueOf(ctx.header("Authorization"))));
            config.routes.get("/internal/v1/requests/{id}", this::request);
            config.routes.get("/internal/v1/systems", ctx -> {
                systemsCalls.incrementAndGet();
                ctx.contentType("application/json").result(SYSTEMS_JSON);
            });
            config.routes.get("/internal/v1/requests", ctx -> {
                queries.add(ctx.queryParamMap());
                ctx.contentType("application/json").result("{\"items\":[],\"next\":null}");
            });
            config.routes.get("/internal/v1/requests/{id}/certificate", ctx -> ctx.status(409)
                    .contentType("application/json").result("{\"error\":\"not_finished\",\"message\":\"still open\"}"));
            config.routes.post("/internal/v1/subjects/lookup", ctx -> {
                lookups.add(ctx.body());
                ctx.contentType("application/json").result("{\"subjectKey\":\"5ub\",\"open\":[]}");
            });
            config.routes.post("/internal/v1/subjects/lookup-batch", ctx -> {
                batchLookups.add(ctx.body());
                if (!batchRoute) {
                    ctx.status(404).result("{\"error\":\"not_found\"}");
                    return;
                }
                ctx.contentType("application/json").result("{\"results\":[{\"subjectKey\":\"5ub\",\"open\":[]},null]}");
            });
            config.routes.get("/internal/v1/systems/{name}", ctx -> {
                if (ctx.pathParam("name").equals("billing")) {
                    ctx.contentType("application/json").result("{\"name\":\"billing\"}");
                } else {
                    ctx.status(404).result("{\"error\":\"not_found\"}");
                }
            });
            config.routes.get("/internal/v1/stats", ctx -> ctx.contentType("application/json")
                    .result("{\"overdue\":4}"));
            config.routes.get("/internal/health", ctx -> ctx.status(running ? 200 : 503).contentType("application/json")
                    .result(running ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\",\"state\":\"REBALANCING\"}"));
        }).start(0);
        client = clientOf("http://127.0.0.1:" + ledger.port() + "/");
    }

    @AfterEach
    void stopLedger() {
        release.countDown();
        ledger.stop();
    }

    private void request(Context ctx) throws InterruptedException {
        queries.add(ctx.queryParamMap());
        final String id = ctx.pathParam("id");
        switch (id) {
            case KNOWN -> {
                if ("public".equals(ctx.queryParam("view"))) {
                    // Spaced as no serializer would write it: a relayed answer keeps it, a re-written one does not.
                    ctx.header(HttpLedgerClient.VIEW_HEADER, "public");
                    ctx.contentType("application/json").result(KNOWN_JSON.replace(",", ", "));
                } else {
                    ctx.contentType("application/json").result(KNOWN_JSON);
                }
            }
            case OLDER -> ctx.contentType("application/json").result(OLDER_JSON);
            case MIGRATING -> ctx.status(503).header("Retry-After", "9")
                    .result("{\"error\":\"unavailable\",\"message\":\"store migrating\"}");
            case BROKEN -> ctx.status(500).result("boom");
            case SLOW -> {
                final boolean released = release.await(10, TimeUnit.SECONDS);
                ctx.result(released ? KNOWN_JSON : "{}");
            }
            default -> ctx.status(404).result("{\"error\":\"not_found\",\"message\":\"no such request\"}");
        }
    }

    private HttpLedgerClient clientOf(String baseUrl) {
        return clientOf(baseUrl, INTERNAL);
    }

    private HttpLedgerClient clientOf(String baseUrl, String internalSecret) {
        return new HttpLedgerClient(baseUrl, Secret.of(internalSecret),
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build(),
                Duration.ofMillis(1500), Duration.ofSeconds(5), clock);
    }

    @Test
    void shouldSendTheInternalSecretOnEveryCall() {
        client.request(KNOWN);
        client.requestAfter(KNOWN, new Written("erasure.requests", 4, 1234L), Duration.ofMillis(1));
        client.list(Map.of("status", "OPEN"));
        client.lookup("email", "kim@example.com");
        client.system("billing");
        client.stats();
        client.systems();
        client.health();

        assertEquals(8, authorizations.size());
        assertEquals(List.of("Bearer " + INTERNAL), authorizations.stream().distinct().toList());
    }

    @Test
    void shouldRelayThePublicViewOfARequestAsTheLedgerWroteIt() {
        assertEquals(KNOWN_JSON.replace(",", ", "), client.publicRequest(KNOWN));
        assertEquals(List.of("public"), queries.get(queries.size() - 1).get("view"));
    }

    @Test
    void shouldStripTheFingerprintItselfWhenTheLedgerDoesNotMarkItsAnswerPublic() {
        final JsonNode shown = LedgerJson.parse(client.publicRequest(OLDER));

        assertFalse(shown.has("fingerprint"), shown.toString());
        assertEquals(OLDER, shown.path("id").asText());
        assertEquals("RECEIVED", shown.path("status").asText());
    }

    @Test
    void shouldAnswerAPublicViewOfAnUnknownRequestWith404() {
        final ApiException e = assertThrows(ApiException.class,
                () -> client.publicRequest("0d1c2a3e-8b4d-4c5e-9f60-718293a4b5c6"));
        assertEquals(404, e.status());
    }

    @Test
    void shouldLookManySubjectsUpInOneCallWithNullWhereTheLedgerCannotAnswer() {
        final List<String> answers = client.lookupAll(List.of(Map.entry("email", "kim@example.com"),
                Map.entry("user_id", "u-1")));

        assertEquals(1, batchLookups.size());
        assertTrue(lookups.isEmpty());
        assertTrue(batchLookups.get(0).contains("\"value\":\"u-1\""), batchLookups.get(0));
        assertEquals(2, answers.size());
        assertTrue(answers.get(0).contains("5ub"), answers.get(0));
        assertNull(answers.get(1));
    }

    @Test
    void shouldLookSubjectsUpOneByOneAtALedgerWithoutTheBatchRoute() {
        batchRoute = false;

        final List<String> answers = client.lookupAll(List.of(Map.entry("email", "kim@example.com"),
                Map.entry("user_id", "u-1")));

        assertEquals(2, lookups.size());
        assertEquals(2, answers.size());
        assertTrue(answers.get(1).contains("5ub"), answers.get(1));
    }

    @Test
    void shouldReportALedgerThatRefusesTheSecretAsBadGatewayWithoutShowingIt() {
        final Javalin strict = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.routes.get("/internal/v1/requests/{id}", ctx -> ctx.status(401)
                    .result("{\"error\":\"unauthorized\"}"));
        }).start(0);
        try {
            final ApiException e = assertThrows(ApiException.class,
                    () -> clientOf("http://127.0.0.1:" + strict.port(), "another-secret-0123456789abcdef-01")
                            .request(KNOWN));

            assertEquals(502, e.status());
            assertTrue(e.getMessage().contains("LETHE_INTERNAL_TOKEN_FILE"), e.getMessage());
            assertFalse(e.getMessage().contains("another-secret"), e.getMessage());
        } finally {
            strict.stop();
        }
    }

    @Test
    void shouldRelayTheRequestJsonAsItIs() {
        assertEquals(KNOWN_JSON, client.request(KNOWN));
        assertTrue(queries.get(0).isEmpty());
    }

    @Test
    void shouldPassTheWrittenPositionAndTheWaitToTheLedger() {
        final String json = client.requestAfter(KNOWN, new Written("erasure.requests", 4, 1234L),
                Duration.ofMillis(250));

        assertEquals(KNOWN_JSON, json);
        assertEquals(Map.of("topic", List.of("erasure.requests"), "partition", List.of("4"),
                "offset", List.of("1234"), "waitMs", List.of("250")), queries.get(0));
    }

    @Test
    void shouldTurnA404IntoNotFound() {
        final ApiException e = assertThrows(ApiException.class,
                () -> client.request("0a1c2a3e-8b4d-4c5e-9f60-718293a4b5c6"));

        assertEquals(404, e.status());
        assertEquals("not_found", e.code());
    }

    @Test
    void shouldTurnA503IntoUnavailableWithTheLedgersRetryAfter() {
        final ApiException e = assertThrows(ApiException.class, () -> client.request(MIGRATING));

        assertEquals(503, e.status());
        assertEquals("unavailable", e.code());
        assertEquals(9, e.retryAfterSeconds());
    }

    @Test
    void shouldTurnAnUnexpectedStatusIntoBadGateway() {
        final ApiException e = assertThrows(ApiException.class, () -> client.request(BROKEN));

        assertEquals(502, e.status());
    }

    @Test
    void shouldAnswerUnavailableWhenTheLedgerDoesNotAnswerInTime() {
        final ApiException e = assertThrows(ApiException.class, () -> client.request(SLOW));

        assertEquals(503, e.status());
        assertEquals("ledger unreachable", e.getMessage());
    }

    @Test
    void shouldAnswerUnavailableWhenTheConnectionIsRefused() throws IOException {
        final HttpLedgerClient unreachable = clientOf("http://127.0.0.1:" + closedPort());

        final ApiException e = assertThrows(ApiException.class, () -> unreachable.request(KNOWN));

        assertEquals(503, e.status());
        assertEquals("unavailable", e.code());
        assertEquals("ledger unreachable", e.getMessage());
        assertTrue(e.retryAfterSeconds() > 0);
        assertEquals(new LedgerHealth(false, LedgerHealth.UNREACHABLE), unreachable.health());
    }

    @Test
    void shouldReadTheSystemsIgnoringFieldsItDoesNotKnow() {
        final List<RegisteredSystem> systems = client.systems();

        assertEquals(1, systems.size());
        assertEquals("billing", systems.get(0).name());
        assertEquals(List.of("user_id", "email"), systems.get(0).namespaces());
        assertEquals(30, systems.get(0).slaDays());
    }

    @Test
    void shouldCacheTheSystemsForTheirTimeToLive() {
        client.systems();
        clock.advance(Duration.ofSeconds(4));
        client.systems();
        assertEquals(1, systemsCalls.get());

        clock.advance(Duration.ofSeconds(2));
        client.systems();
        assertEquals(2, systemsCalls.get());
    }

    @Test
    void shouldReportHealthUpWhileTheLedgerRuns() {
        assertTrue(client.health().up());
    }

    @Test
    void shouldReportHealthDownWithTheLedgerState() {
        running = false;

        final LedgerHealth health = client.health();

        assertFalse(health.up());
        assertEquals("REBALANCING", health.state());
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {

        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void shouldPassListParametersEncoded() {
        final Map<String, String> query = new LinkedHashMap<>();
        query.put("status", "IN_PROGRESS");
        query.put("cursor", "a b&c=d");

        assertEquals("{\"items\":[],\"next\":null}", client.list(query));
        assertEquals(List.of("a b&c=d"), queries.get(0).get("cursor"));
        assertEquals(List.of("IN_PROGRESS"), queries.get(0).get("status"));
    }

    @Test
    void shouldKeepTheLedgersConflictCode() {
        final ApiException e = assertThrows(ApiException.class, () -> client.certificate(KNOWN));

        assertEquals(409, e.status());
        assertEquals("not_finished", e.code());
        assertEquals("still open", e.getMessage());
    }

    @Test
    void shouldSendTheSubjectInThePostBodyNotTheUrl() {
        assertEquals("{\"subjectKey\":\"5ub\",\"open\":[]}", client.lookup("email", "kim@example.com"));

        final JsonNode sent = parse(lookups.get(0));
        assertEquals("email", sent.path("namespace").asText());
        assertEquals("kim@example.com", sent.path("value").asText());
    }

    @Test
    void shouldReadOneSystemAndAnswer404ForAnUnknownOne() {
        assertEquals("{\"name\":\"billing\"}", client.system("billing"));
        final ApiException e = assertThrows(ApiException.class, () -> client.system("nothing"));
        assertEquals(404, e.status());
        assertTrue(e.getMessage().contains("nothing"));
        assertEquals("{\"overdue\":4}", client.stats());
    }

    private static JsonNode parse(String json) {
        try {
            return Json.lenient().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
