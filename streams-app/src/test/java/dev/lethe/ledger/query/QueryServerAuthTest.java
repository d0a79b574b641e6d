package dev.lethe.ledger.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.schemas.config.Secret;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The internal endpoint answers Lethe's own services only: every route refuses a call without the
 * internal secret, or with a wrong one, with 401, before it reads anything (there is no ledger
 * behind this server: a call that got through would fail otherwise).
 */
class QueryServerAuthTest {

    private static final String SECRET = "internal-secret-0123456789abcdef-0123";
    private static final List<String> GETS = List.of("/internal/v1/requests", "/internal/v1/requests/r-1",
            "/internal/v1/requests/r-1?topic=erasure.requests&partition=0&offset=1&waitMs=0",
            "/internal/v1/requests/r-1/audit", "/internal/v1/requests/r-1/certificate",
            "/internal/v1/requests?partitions=0,1", "/internal/v1/stats", "/internal/v1/stats?partitions=0",
            "/internal/v1/systems", "/internal/v1/systems/billing", "/internal/v1/nosuch");

    private final HttpClient http = HttpClient.newHttpClient();
    private QueryServer server;

    @BeforeEach
    void start() {
        server = new QueryServer(null, Clock.systemUTC(), Secret.of(SECRET)).start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void refusesEveryRouteWithoutTheInternalSecret() throws Exception {
        for (String path : GETS) {
            assertUnauthorized(get(path, null), path);
        }
        assertUnauthorized(lookup(null), "lookup");
        assertUnauthorized(post("/internal/v1/subjects/lookup-batch", null), "lookup-batch");
    }

    @Test
    void refusesEveryRouteWithAWrongSecretOrScheme() throws Exception {
        for (String authorization : List.of("Bearer wrong-secret-0123456789abcdef-0123", "Bearer " + SECRET + "x",
                "Bearer " + SECRET.substring(1), "Basic " + SECRET, SECRET, "Bearer ")) {
            for (String path : GETS) {
                assertUnauthorized(get(path, authorization), path + " with " + authorization.split(" ")[0]);
            }
            assertUnauthorized(lookup(authorization), "lookup");
            assertUnauthorized(post("/internal/v1/subjects/lookup-batch", authorization), "lookup-batch");
        }
    }

    @Test
    void shouldLetACallWithTheSecretReachItsRoute() throws Exception {
        final HttpResponse<String> badList = get("/internal/v1/requests?partitions=x", "Bearer " + SECRET);
        final HttpResponse<String> badLookup = lookup("bearer " + SECRET);

        assertEquals(400, badList.statusCode(), badList.body());
        assertEquals(400, badLookup.statusCode(), badLookup.body());
        assertEquals("malformed_json", QueryServer.JSON.readTree(badLookup.body()).path("error").asText());
    }

    @Test
    void shouldAnswer503WithRetryAfterWhileStartingAndHealthSayStarting() throws Exception {
        try (QueryServer starting = QueryServer.starting(Clock.systemUTC(), Secret.of(SECRET)).start("127.0.0.1", 0)) {
            final String base = "http://127.0.0.1:" + starting.port();

            final HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/internal/health"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            final HttpResponse<String> read = http.send(HttpRequest.newBuilder(URI.create(base
                    + "/internal/v1/requests/r-1")).header("Authorization", "Bearer " + SECRET).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            final HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(base
                    + "/internal/v1/requests/r-1")).GET().build(), HttpResponse.BodyHandlers.ofString());

            assertEquals(503, health.statusCode(), health.body());
            assertEquals("1", health.headers().firstValue("Retry-After").orElse(null));
            assertEquals("STARTING", QueryServer.JSON.readTree(health.body()).path("status").asText());
            assertEquals(503, read.statusCode(), read.body());
            assertEquals("1", read.headers().firstValue("Retry-After").orElse(null));
            assertEquals("unavailable", QueryServer.JSON.readTree(read.body()).path("error").asText());
            assertUnauthorized(anonymous, "anonymous while starting");
        }
    }

    private void assertUnauthorized(HttpResponse<String> response, String what) throws Exception {
        assertEquals(401, response.statusCode(), what + ": " + response.body());
        final JsonNode body = QueryServer.JSON.readTree(response.body());
        assertEquals("unauthorized", body.path("error").asText(), what);
        assertTrue(body.path("message").asText().contains("internal secret"), what);
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> lookup(String authorization) throws Exception {
        return post("/internal/v1/subjects/lookup", authorization);
    }

    private HttpResponse<String> post(String path, String authorization) throws Exception {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("not json"));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String base() {
        return "http://127.0.0.1:" + server.port();
    }
}
