package dev.lethe.ledger.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.lethe.schemas.config.Secret;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ledger whose stream processing has stopped (its Kafka Streams client is in ERROR or
 * NOT_RUNNING, e.g. after a fatal error during a broker failover) answers every query 503 with
 * Retry-After and its health 503 DOWN, never 500: the gateway then asks the other instance, and
 * clients retry (found by the chaos harness's broker-kill scenario, docs/reliability.md).
 */
class QueryServerStoppedStreamsTest {

    private static final String SECRET = "internal-secret-0123456789abcdef-0123";

    @TempDir
    Path state;

    private KafkaStreams streams;

    @Test
    void shouldAnswer503WithRetryAfterWhenTheStreamsClientHasStopped() throws Exception {
        final LedgerQueries queries = stoppedLedger();
        final HttpClient http = HttpClient.newHttpClient();

        try (QueryServer server = new QueryServer(queries, Clock.systemUTC(), Secret.of(SECRET)).start("127.0.0.1", 0)) {
            final String base = "http://127.0.0.1:" + server.port();
            for (String path : List.of("/internal/v1/requests/r-1", "/internal/v1/requests", "/internal/v1/stats",
                    "/internal/v1/systems", "/internal/v1/requests/r-1/audit")) {
                final HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(base + path))
                        .header("Authorization", "Bearer " + SECRET).GET().build(), HttpResponse.BodyHandlers.ofString());

                assertEquals(503, answer.statusCode(), path + ": " + answer.body());
                assertEquals("1", answer.headers().firstValue("Retry-After").orElse(null), path);
                assertEquals("unavailable", QueryServer.JSON.readTree(answer.body()).path("error").asText(), path);
            }
            final HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/internal/health"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(503, health.statusCode(), health.body());
            assertEquals("NOT_RUNNING", QueryServer.JSON.readTree(health.body()).path("streams").asText());
        }
    }

    @Test
    void shouldAnswerTheProbesWithTheirOwnBodiesWhenTheStreamsClientHasStopped() throws Exception {
        final LedgerQueries queries = stoppedLedger();
        final HttpClient http = HttpClient.newHttpClient();

        try (QueryServer server = new QueryServer(queries, Clock.systemUTC(), Secret.of(SECRET)).start("127.0.0.1", 0)) {
            server.probes().watch(streams::state);
            final String base = "http://127.0.0.1:" + server.port();
            final HttpResponse<String> live = http.send(HttpRequest.newBuilder(URI.create(base + "/livez")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            final HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(base + "/readyz")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());

            // a closed client is not a failed one: alive, so that the orchestrator does not kill an instance that stops
            assertEquals(200, live.statusCode(), live.body());
            assertEquals("UP", QueryServer.JSON.readTree(live.body()).path("status").asText(), live.body());
            assertEquals(503, ready.statusCode(), ready.body());
            assertEquals("NOT_READY", QueryServer.JSON.readTree(ready.body()).path("status").asText(), ready.body());
            assertEquals("NOT_RUNNING", QueryServer.JSON.readTree(ready.body()).path("streams").asText(), ready.body());
        }
    }

    @Test
    void shouldLeaveInProcessReadsToHttpWhenTheStreamsClientHasStopped() {
        final InProcessReads reads = new InProcessReads(stoppedLedger(), Clock.systemUTC());

        // null: the gateway asks over HTTP, where a stopped ledger answers 503 with Retry-After, not 500
        assertNull(reads.request("r-1", true));
        assertNull(reads.request("r-1", false));
        assertNull(reads.subject("user_id", "u-1"));
    }

    private LedgerQueries stoppedLedger() {
        streams = new KafkaStreams(OfflineQueries.passThrough().build(),
                OfflineQueries.props("stopped-streams-test", state));
        streams.close(Duration.ofSeconds(5));
        return OfflineQueries.over(streams, new HostInfo("127.0.0.1", 1), 6);
    }
}
