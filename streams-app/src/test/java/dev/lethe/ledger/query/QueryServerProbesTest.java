package dev.lethe.ledger.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lethe.schemas.config.Secret;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** {@code /livez} and {@code /readyz} answer without the internal secret, and while the ledger starts. */
class QueryServerProbesTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldAnswerLiveAndNotReadyWithoutTheSecretWhileStarting() throws Exception {
        try (QueryServer starting = QueryServer.starting(Clock.systemUTC(), Secret.of("internal-secret-0123456789abcdef-0123"))
                .start("127.0.0.1", 0)) {
            final String base = "http://127.0.0.1:" + starting.port();

            final HttpResponse<String> live = get(base + QueryServer.LIVEZ);
            final HttpResponse<String> ready = get(base + QueryServer.READYZ);

            assertEquals(200, live.statusCode(), live.body());
            assertEquals("UP", QueryServer.JSON.readTree(live.body()).path("status").asText());
            assertEquals(503, ready.statusCode(), ready.body());
            assertEquals("1", ready.headers().firstValue("Retry-After").orElse(null));
            assertEquals("NOT_READY", QueryServer.JSON.readTree(ready.body()).path("status").asText());
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
