package dev.lethe.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.gateway.GatewayConfig;
import dev.lethe.gateway.GatewayServer;
import dev.lethe.ledger.LedgerApp;
import dev.lethe.ledger.LedgerConfig;
import dev.lethe.standalone.ApiClient.Response;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two ledger instances of one application and one gateway on the in-process broker. 1,000
 * requests filed through the gateway are each read back through it (half of them live on the
 * instance the gateway does not talk to, so the read is forwarded), the list fans out to both
 * instances and returns every request once, newest first; then one instance is stopped and
 * started again, and every request is read back again, never answered 404 — during the
 * rebalance only 503 with Retry-After, which the client retries. The instances answer each other
 * (a forwarded read, a fan-out) and the gateway only with the internal secret; anyone else gets 401.
 */
@Tag("integration")
class TwoInstancesIntegrationTest {

    private static final String APPLICATION_ID = "lethe-it-two-instances";
    private static final int REQUESTS = 1_000;
    private static final Duration SETTLED = Duration.ofSeconds(90);

    @TempDir
    static Path dir;

    private static ItCluster cluster;
    private static Path systemsFile;
    private static int portA;
    private static int portB;
    private static LedgerApp ledgerA;
    private static LedgerApp ledgerB;
    private static GatewayServer gateway;
    private static ApiClient api;
    private static ApiClient internalA;

    @BeforeAll
    static void start() {
        cluster = ItCluster.withRegistry(dir);
        systemsFile = LetheEnv.systemsFile(dir);
        portA = LetheEnv.freePort();
        portB = LetheEnv.freePort();
        ledgerA = startLedger("a", portA);
        ledgerB = startLedger("b", portB);
        gateway = new GatewayServer(GatewayConfig.fromEnvironment(LetheEnv.gateway(cluster, portA))).start();
        api = new ApiClient(gateway.port(), LetheEnv.ADMIN_TOKEN);
        internalA = new ApiClient(portA, LetheEnv.INTERNAL_TOKEN);
        awaitInstances(2);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable component : new AutoCloseable[] {gateway, ledgerB, ledgerA, cluster}) {
            if (component != null) {
                try {
                    component.close();
                } catch (Exception e) {
                    throw new IllegalStateException("cannot stop " + component.getClass().getSimpleName(), e);
                }
            }
        }
    }

    private static LedgerApp startLedger(String name, int port) {
        final Map<String, String> env = new java.util.HashMap<>(
                LetheEnv.ledger(cluster, APPLICATION_ID, dir.resolve("state-" + name), port, systemsFile));
        env.put("LETHE_PARTITIONS", "4");
        return LedgerApp.start(LedgerConfig.fromEnvironment(env));
    }

    /** Waits until the stats fan-out answers with {@code count} instances, every partition owned. */
    private static void awaitInstances(int count) {
        await().atMost(SETTLED).pollInterval(Duration.ofMillis(200)).until(() -> {
            final Response stats = internalA.get("/internal/v1/stats");
            return stats.status() == 200 && stats.json().path("instances").size() == count;
        });
    }

    @Test
    void shouldServeEveryRequestFromEitherInstanceAcrossARestart() throws Exception {
        // Given 1,000 requests filed through the gateway
        final List<String> ids = file(REQUESTS);
        assertEquals(REQUESTS, new LinkedHashSet<>(ids).size());

        // Then every one reads back through the gateway, from whichever instance owns it
        readAll(ids);
        // and the list, fanned out to both instances, holds each exactly once, newest first
        assertEquals(Set.copyOf(ids), Set.copyOf(listAll(100)));
        // (each goes on once the subject gate admitted it, a moment after it was filed)
        await().atMost(SETTLED).untilAsserted(() -> {
            final JsonNode stats = internalA.get("/internal/v1/stats").json();
            assertEquals(2, stats.path("instances").size());
            assertEquals(REQUESTS, stats.path("byStatus").path("IN_PROGRESS").asInt());
        });
        // and every one reads back from instance A with the internal secret, half of them forwarded to B,
        // while neither instance answers a caller without it, or with another secret
        readAllInternally(ids.subList(0, 100));
        assertRefusedWithoutTheSecret(portA, ids.get(0));
        assertRefusedWithoutTheSecret(portB, ids.get(0));

        // When the second instance stops, requests keep coming in and being read back
        ledgerB.close();
        ledgerB = null;
        final List<String> whileDown = file(50);
        readAll(whileDown);
        awaitInstances(1);
        readAll(ids);

        // When it starts again from its own state folder
        ledgerB = startLedger("b", portB);
        awaitInstances(2);

        // Then nothing is lost or doubled
        final List<String> all = new ArrayList<>(ids);
        all.addAll(whileDown);
        readAll(all);
        final List<String> listed = listAll(250);
        assertEquals(all.size(), listed.size(), "no request listed twice");
        assertEquals(Set.copyOf(all), Set.copyOf(listed));
    }

    /** Reads each id straight from instance A's internal endpoint (forwarded to B when B owns it): 200 or 503. */
    private static void readAllInternally(List<String> ids) {
        for (String id : ids) {
            await().atMost(SETTLED).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100)).until(() -> {
                final Response response = internalA.get("/internal/v1/requests/" + id);
                assertNotEquals(401, response.status(), "an instance refused the internal secret");
                assertTrue(response.status() == 200 || response.status() == 503, response.body());
                return response.status() == 200 && id.equals(response.json().path("id").asText());
            });
        }
    }

    private static void assertRefusedWithoutTheSecret(int port, String id) {
        for (ApiClient caller : List.of(new ApiClient(port, ""), new ApiClient(port, "not-the-internal-secret-0123456789abcdef"),
                new ApiClient(port, LetheEnv.ADMIN_TOKEN))) {
            for (String path : List.of("/internal/v1/requests/" + id, "/internal/v1/requests/" + id + "/audit",
                    "/internal/v1/requests", "/internal/v1/stats", "/internal/v1/systems")) {
                final Response response = caller.get(path);
                assertEquals(401, response.status(), path + ": " + response.body());
                assertEquals("unauthorized", response.json().path("error").asText());
            }
        }
    }

    /** Files {@code count} requests for different subjects, eight at a time, and returns their ids. */
    private static List<String> file(int count) throws Exception {
        final ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            final List<Future<String>> filed = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                final String subject = "u-" + java.util.UUID.randomUUID();
                filed.add(pool.submit(() -> {
                    final Response response = api.post("/v1/erasures", ApiClient.json(Map.of(
                            "subject", Map.of("namespace", "user_id", "value", subject),
                            "jurisdiction", "GDPR", "reason", "account_deleted", "source", "it")));
                    assertEquals(202, response.status(), response.body());
                    return response.json().path("id").asText();
                }));
            }
            final List<String> ids = new ArrayList<>();
            for (Future<String> id : filed) {
                ids.add(id.get());
            }
            return ids;
        } finally {
            pool.shutdown();
        }
    }

    /** Reads every id through the gateway: 200 with that id, or 503 with Retry-After (retried); never 404. */
    private static void readAll(List<String> ids) {
        for (String id : ids) {
            await().atMost(SETTLED).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100)).until(() -> {
                final Response response = api.get("/v1/erasures/" + id);
                assertNotEquals(404, response.status(), "an accepted request was reported missing");
                if (response.status() == 503) {
                    assertTrue(response.header("Retry-After") != null, "503 without Retry-After");
                    return false;
                }
                assertEquals(200, response.status(), response.body());
                assertEquals(id, response.json().path("id").asText());
                return true;
            });
        }
    }

    /** Pages through the whole list through the gateway (the streams-app fans it out), checking the order. */
    private static List<String> listAll(int limit) {
        final List<String> ids = new ArrayList<>();
        String previousRequestedAt = null;
        String cursor = null;
        do {
            final String path = "/v1/erasures?limit=" + limit + (cursor == null ? "" : "&cursor=" + cursor);
            final Response page = awaitAnswer(path);
            for (JsonNode item : page.json().path("items")) {
                final String requestedAt = item.path("requestedAt").asText();
                assertTrue(previousRequestedAt == null
                        || java.time.Instant.parse(requestedAt).compareTo(java.time.Instant.parse(previousRequestedAt)) <= 0,
                        "newest first");
                previousRequestedAt = requestedAt;
                ids.add(item.path("id").asText());
            }
            final JsonNode next = page.json().path("next");
            cursor = next.isNull() || next.isMissingNode() ? null : next.asText();
        } while (cursor != null);
        return ids;
    }

    private static Response awaitAnswer(String path) {
        final Response[] answer = new Response[1];
        await().atMost(SETTLED).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100)).until(() -> {
            answer[0] = api.get(path);
            assertNull(answer[0].status() == 200 || answer[0].status() == 503 ? null : answer[0].body());
            return answer[0].status() == 200;
        });
        return answer[0];
    }
}
