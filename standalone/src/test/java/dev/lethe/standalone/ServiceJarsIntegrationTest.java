package dev.lethe.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two service jars as an operator runs them ({@code java -jar lethe-streams-app.jar},
 * {@code java -jar lethe-api-gateway.jar}) against a real broker and registry: each logs at INFO
 * by default and one JSON object per line with {@code LETHE_LOG_FORMAT=json}, answers its probes,
 * and on SIGTERM stops cleanly and exits 0 within a bound. The log is checked from the start up to
 * the stop: start-up, RUNNING, a few requests, the stop. Needs the shaded jars, which
 * {@code mvn verify} (or {@code mvn verify -pl standalone -am}) builds before this module's tests.
 */
@Tag("integration")
class ServiceJarsIntegrationTest {

    private static final Path LEDGER_JAR = Path.of("..", "streams-app", "target", "lethe-streams-app.jar");
    private static final Path GATEWAY_JAR = Path.of("..", "api-gateway", "target", "lethe-api-gateway.jar");
    /** Longer than the services' own stop bounds would be a hang; far shorter is expected. */
    private static final Duration STOP_WITHIN = Duration.ofSeconds(50);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The raw identifiers the runs submit (one per run, so neither is a duplicate): never in a log. */
    private static final String SUBJECT_PREFIX = "u-jars-4711-";

    @TempDir
    static Path dir;
    private static ItCluster cluster;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Process> started = new ArrayList<>();

    @BeforeAll
    static void startCluster() {
        assertTrue(Files.isRegularFile(LEDGER_JAR) && Files.isRegularFile(GATEWAY_JAR),
                "build the service jars first: mvn verify -pl standalone -am");
        cluster = ItCluster.withRegistry(dir.resolve("cluster"));
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @AfterEach
    void killLeftovers() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void shouldLogTheLedgerAsTextAndTheGatewayAsJsonAndStopBothOnSigterm() throws Exception {
        final Run run = run("text-json", Map.of(), Map.of("LETHE_LOG_FORMAT", "json"));

        assertQuietText(run.ledgerLog());
        assertJsonLines(run.gatewayLog());
        assertTrue(Files.readString(run.ledgerLog()).contains("NOT_RUNNING"),
                "Kafka Streams closed (state NOT_RUNNING) before the ledger exited");
    }

    @Test
    void shouldLogTheLedgerAsJsonAndTheGatewayAsTextAndStopBothOnSigterm() throws Exception {
        final Run run = run("json-text", Map.of("LETHE_LOG_FORMAT", "json"), Map.of());

        assertJsonLines(run.ledgerLog());
        assertQuietText(run.gatewayLog());
        assertTrue(Files.readString(run.ledgerLog()).contains("stopped cleanly"), "the ledger's close finished");
    }

    private record Run(Path ledgerLog, Path gatewayLog) {
    }

    /** Starts both jars, waits until both are ready, sends a few requests, then SIGTERMs both. */
    private Run run(String name, Map<String, String> ledgerExtra, Map<String, String> gatewayExtra) throws Exception {
        final int queryPort = LetheEnv.freePort();
        final int httpPort = LetheEnv.freePort();
        final Map<String, String> ledgerEnv = new HashMap<>(LetheEnv.ledger(cluster, "jars-" + name + "-"
                + UUID.randomUUID(), dir.resolve(name + "-state"), queryPort, LetheEnv.systemsFile(dir.resolve(name))));
        ledgerEnv.putAll(ledgerExtra);
        final Map<String, String> gatewayEnv = new HashMap<>(LetheEnv.gateway(cluster, queryPort));
        gatewayEnv.put("LETHE_HTTP_PORT", Integer.toString(httpPort));
        gatewayEnv.putAll(gatewayExtra);
        final Run run = new Run(dir.resolve(name + "-ledger.log"), dir.resolve(name + "-gateway.log"));

        final Process ledger = start(LEDGER_JAR, ledgerEnv, run.ledgerLog());
        final Process gateway = start(GATEWAY_JAR, gatewayEnv, run.gatewayLog());
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .until(() -> status("http://127.0.0.1:" + queryPort + "/readyz", null) == 200);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> status("http://127.0.0.1:" + httpPort + "/readyz", null) == 200);
        assertEquals(200, status("http://127.0.0.1:" + queryPort + "/livez", null));
        assertEquals(200, status("http://127.0.0.1:" + httpPort + "/livez", null));
        final String id = submit(httpPort, SUBJECT_PREFIX + name);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> status("http://127.0.0.1:" + httpPort + "/v1/erasures/" + id, LetheEnv.ADMIN_TOKEN) == 200);

        assertStopsCleanly(gateway, "api-gateway", run.gatewayLog());
        assertStopsCleanly(ledger, "streams-app", run.ledgerLog());
        return run;
    }

    private Process start(Path jar, Map<String, String> env, Path log) throws IOException {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("LETHE_"));
        builder.environment().putAll(env);
        final Process process = builder.start();
        started.add(process);
        return process;
    }

    private static void assertStopsCleanly(Process process, String what, Path log) throws Exception {
        process.destroy(); // SIGTERM
        final boolean exited = process.waitFor(STOP_WITHIN.toSeconds(), TimeUnit.SECONDS);
        assertTrue(exited, what + " did not exit within " + STOP_WITHIN + " of SIGTERM; log: " + log);
        assertEquals(0, process.exitValue(), what + " exit status after SIGTERM; log: " + Files.readString(log));
    }

    /** Default (text) mode: INFO and above only, one line per event, nothing secret. */
    private static void assertQuietText(Path log) throws IOException {
        final List<String> lines = Files.readAllLines(log);
        assertFalse(lines.isEmpty(), "an empty log: " + log);
        assertTrue(lines.size() < 400, lines.size() + " lines: not quiet");
        for (String line : lines) {
            assertFalse(line.matches("^\\S+ (DEBUG|TRACE) .*"), "a DEBUG line by default: " + line);
            assertTrue(line.matches("^\\d{4}-\\d\\d-\\d\\dT\\S+ (INFO |WARN |ERROR) .*"),
                    "not one line per event (a continuation line?): " + line);
            assertNoSecret(line);
        }
    }

    /** JSON mode: every line one JSON object with a timestamp, a level at INFO or above and a message. */
    private static void assertJsonLines(Path log) throws IOException {
        final List<String> lines = Files.readAllLines(log);
        assertFalse(lines.isEmpty(), "an empty log: " + log);
        for (String line : lines) {
            final JsonNode event;
            try {
                event = JSON.readTree(line);
            } catch (IOException e) {
                throw new AssertionError("not a JSON line: " + line, e);
            }
            assertTrue(event.isObject() && event.has("@timestamp") && event.has("message"), line);
            assertTrue(List.of("INFO", "WARN", "ERROR").contains(event.path("level").asText()), line);
            assertNoSecret(line);
        }
    }

    private static void assertNoSecret(String line) {
        for (String secret : List.of(LetheEnv.ADMIN_TOKEN, LetheEnv.INTERNAL_TOKEN, LetheEnv.PSEUDONYM_SECRET,
                SUBJECT_PREFIX)) {
            assertFalse(line.contains(secret), "a secret or a raw identifier in the log: " + line);
        }
    }

    private String submit(int httpPort, String userId) throws Exception {
        final String body = JSON.writeValueAsString(Map.of(
                "subject", Map.of("namespace", "user_id", "value", userId),
                "jurisdiction", "GDPR", "reason", "account_deleted", "source", "accounts-service"));
        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + httpPort + "/v1/erasures"))
                .header("Authorization", "Bearer " + LetheEnv.ADMIN_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, response.statusCode(), response.body());
        return JSON.readTree(response.body()).path("id").asText();
    }

    private int status(String url, String token) throws Exception {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1; // not listening yet, or too slow to answer on a busy machine: asked again
        }
    }
}
