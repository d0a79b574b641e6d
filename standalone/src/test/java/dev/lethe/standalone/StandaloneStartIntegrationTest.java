package dev.lethe.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default opens its HTTP port before anything else starts: while the broker, the
 * registry and the ledger start behind it, every call is answered 503 with {@code Retry-After}
 * (never a refused connection), and {@code GET /health} says STARTING. The start is held at that
 * point by a latch, so the test sees the window without timing it.
 */
@Tag("integration")
class StandaloneStartIntegrationTest {

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void shouldAnswer503WithRetryAfterWhileStartingThenServe() throws Exception {
        final Map<String, String> env = new HashMap<>();
        env.put("LETHE_DATA_DIR", dir.resolve("data").toString());
        for (String port : List.of("LETHE_HTTP_PORT", "LETHE_KAFKA_PORT", "LETHE_KAFKA_CONTROLLER_PORT",
                "LETHE_REGISTRY_PORT", "LETHE_QUERY_PORT", "LETHE_S3_PORT")) {
            env.put(port, Integer.toString(LetheEnv.freePort()));
        }
        final LetheStandalone.Plan plan = LetheStandalone.plan(env);
        final CountDownLatch portOpen = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final PrintStream console = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

        final CompletableFuture<LetheStandalone> starting = CompletableFuture.supplyAsync(() ->
                LetheStandalone.start(plan, console, () -> {
                    portOpen.countDown();
                    awaitQuietly(release);
                }));
        try {
            assertTrue(portOpen.await(60, TimeUnit.SECONDS), "the start never reached the open port");
            final String base = "http://127.0.0.1:" + env.get("LETHE_HTTP_PORT");
            final String admin = Files.readString(dir.resolve("data/secrets/admin.token")).strip();

            final HttpResponse<String> health = send(HttpRequest.newBuilder(URI.create(base + "/health")).GET());
            final HttpResponse<String> write = send(HttpRequest.newBuilder(URI.create(base + "/v1/erasures"))
                    .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")));

            assertEquals(503, health.statusCode(), health.body());
            assertEquals("1", health.headers().firstValue("Retry-After").orElse(null));
            assertEquals("STARTING", ApiClient.JSON.readTree(health.body()).path("status").asText(), health.body());
            assertEquals(503, write.statusCode(), write.body());
            assertEquals("1", write.headers().firstValue("Retry-After").orElse(null));
            assertEquals("unavailable", ApiClient.JSON.readTree(write.body()).path("error").asText(), write.body());
        } finally {
            release.countDown();
        }
        try (LetheStandalone lethe = starting.get(180, TimeUnit.SECONDS)) {
            final ApiClient api = new ApiClient(lethe.httpPort(), "");
            await().atMost(Duration.ofSeconds(60)).until(() -> api.get("/health").status() == 200);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
