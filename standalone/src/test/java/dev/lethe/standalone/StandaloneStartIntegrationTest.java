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
import java.util.concurrent.CopyOnWriteArrayList;
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

    /**
     * While it starts (here a first start; after a crash the same sequence runs while the stores
     * restore) the embedded default takes writes as soon as the broker, the registry and the
     * ledger's topics and contracts are up, without waiting for the ledger to restore and serve: a
     * POST is answered 202 once durable, a read of it 503 with Retry-After (never 404) until the
     * ledger serves, then 200. The start is held between the two by a latch.
     */
    @Test
    void shouldTakeWritesWhileTheLedgerStartsAndAnswerTheirReads503UntilItServes() throws Exception {
        final Map<String, String> env = new HashMap<>();
        env.put("LETHE_DATA_DIR", dir.resolve("data").toString());
        for (String port : List.of("LETHE_HTTP_PORT", "LETHE_KAFKA_PORT", "LETHE_KAFKA_CONTROLLER_PORT",
                "LETHE_REGISTRY_PORT", "LETHE_QUERY_PORT", "LETHE_S3_PORT")) {
            env.put(port, Integer.toString(LetheEnv.freePort()));
        }
        final LetheStandalone.Plan plan = LetheStandalone.plan(env);
        final CountDownLatch writesOnly = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final PrintStream console = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

        final CompletableFuture<LetheStandalone> starting = CompletableFuture.supplyAsync(() ->
                LetheStandalone.start(plan, console, () -> { }, () -> {
                    writesOnly.countDown();
                    awaitQuietly(release);
                }));
        final String id;
        final ApiClient api;
        try {
            assertTrue(writesOnly.await(180, TimeUnit.SECONDS), "the start never reached the point of taking writes");
            final String admin = Files.readString(dir.resolve("data/secrets/admin.token")).strip();
            api = new ApiClient(Integer.parseInt(env.get("LETHE_HTTP_PORT")), admin);

            final ApiClient.Response filed = api.post("/v1/erasures", "{\"subject\":{\"namespace\":\"user_id\","
                    + "\"value\":\"while-starting\"},\"jurisdiction\":\"GDPR\",\"reason\":\"account_deleted\","
                    + "\"source\":\"start-test\"}");
            assertEquals(202, filed.status(), filed.body());
            id = filed.json().path("id").asText();
            final ApiClient.Response read = api.get("/v1/erasures/" + id);
            final HttpResponse<String> health = send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + env.get("LETHE_HTTP_PORT") + "/health")).GET());

            assertEquals(503, read.status(), read.body());
            assertEquals("1", read.header("Retry-After"), read.body());
            assertEquals(503, health.statusCode(), "not ready while the ledger does not serve: " + health.body());
        } finally {
            release.countDown();
        }
        final List<Integer> answers = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
            // reads the request all along the rest of the start, until it is served
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(100)).until(() -> {
                answers.add(api.get("/v1/erasures/" + id).status());
                return answers.get(answers.size() - 1) == 200;
            });
        });
        try (LetheStandalone lethe = starting.get(180, TimeUnit.SECONDS)) {
            reading.get(60, TimeUnit.SECONDS);
            assertTrue(answers.stream().allMatch(status -> status == 503 || status == 200),
                    "503 until the ledger serves, then 200; never a 404: " + answers);
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
