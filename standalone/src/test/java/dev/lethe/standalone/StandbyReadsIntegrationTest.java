package dev.lethe.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.gateway.GatewayConfig;
import dev.lethe.gateway.GatewayServer;
import dev.lethe.ledger.LedgerApp;
import dev.lethe.ledger.LedgerConfig;
import dev.lethe.ledger.topology.LedgerNames;
import dev.lethe.standalone.ApiClient.Response;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two ledger instances with one standby replica each, a gateway given both. The owner of some
 * requests stops the way a crash looks to the other instance (its port closes, it stays in the
 * group): its session (30 s here, so the rebalance cannot be what answers) has not expired, yet the
 * other instance serves those requests from its standby copy within 10 s, marked
 * {@code X-Lethe-Stale}. A request its copy does not hold (filed after the owner died, not applied
 * by anyone yet) is answered 503 with Retry-After, never 404.
 */
@Tag("integration")
class StandbyReadsIntegrationTest {

    private static final String APPLICATION_ID = "lethe-it-standby-reads";
    private static final Duration SETTLED = Duration.ofSeconds(90);
    private static final Duration FAILOVER = Duration.ofSeconds(10);

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
    private static ApiClient internalB;

    @BeforeAll
    static void start() {
        cluster = ItCluster.withRegistry(dir);
        systemsFile = LetheEnv.systemsFile(dir);
        portA = LetheEnv.freePort();
        portB = LetheEnv.freePort();
        ledgerA = startLedger("a", portA);
        ledgerB = startLedger("b", portB);
        final Map<String, String> gatewayEnv = new HashMap<>(LetheEnv.gateway(cluster, portA));
        gatewayEnv.put("LETHE_LEDGER_URL", "http://127.0.0.1:" + portA + ",http://127.0.0.1:" + portB);
        gateway = new GatewayServer(GatewayConfig.fromEnvironment(gatewayEnv)).start();
        api = new ApiClient(gateway.port(), LetheEnv.ADMIN_TOKEN);
        internalB = new ApiClient(portB, LetheEnv.INTERNAL_TOKEN);
        await().atMost(SETTLED).pollInterval(Duration.ofMillis(200)).until(() -> {
            final Response stats = internalB.get("/internal/v1/stats");
            return stats.status() == 200 && stats.json().path("instances").size() == 2;
        });
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
        final Map<String, String> env = new HashMap<>(
                LetheEnv.ledger(cluster, APPLICATION_ID, dir.resolve("state-" + name), port, systemsFile));
        env.put("LETHE_PARTITIONS", "4");
        env.put("LETHE_STANDBY_REPLICAS", "1");
        env.put("LETHE_SESSION_TIMEOUT_MS", "30000");
        return LedgerApp.start(LedgerConfig.fromEnvironment(env));
    }

    @Test
    void shouldServeTheDeadOwnersRequestsFromTheStandbyWithinTenSeconds() {
        // Given requests on both instances, each readable, and B's standby copy holding those A owns
        final List<String> ids = file(40);
        ids.forEach(StandbyReadsIntegrationTest::awaitRead);
        final List<String> ownedByA = ids.stream().filter(id -> ownerPort(id) == portA).toList();
        assertFalse(ownedByA.isEmpty(), "no request landed on instance A");
        for (String id : ownedByA) {
            await().atMost(SETTLED).pollInterval(Duration.ofMillis(100))
                    .until(() -> internalB.get("/internal/v1/requests/" + id + "?standby=1").status() == 200);
        }

        // When A stops as a crash would: port closed, still a member of the group until its session expires
        ledgerA.halt();
        ledgerA = null;
        final long stoppedAt = System.nanoTime();

        // Then every one of A's requests is read through the gateway within 10 s, never 404
        for (String id : ownedByA) {
            await().atMost(FAILOVER.minusNanos(System.nanoTime() - stoppedAt)).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(100)).until(() -> {
                        final Response response = api.get("/v1/erasures/" + id);
                        assertNotEquals(404, response.status(), "an accepted request was reported missing");
                        return response.status() == 200 && id.equals(response.json().path("id").asText());
                    });
        }
        System.out.printf("standby served all %d requests of the stopped owner %.1f s after it stopped%n",
                ownedByA.size(), (System.nanoTime() - stoppedAt) / 1e9);
        // and B's own answer says it comes from a copy that may lag
        final Response fromB = internalB.get("/internal/v1/requests/" + ownedByA.get(0));
        assertEquals(200, fromB.status(), fromB.body());
        assertEquals("true", fromB.header("X-Lethe-Stale"));

        // When a request is filed on A's partitions while A is dead (written to the log, applied by nobody yet)
        final String unapplied = file(20).stream().filter(id -> ownerPort(id) == portA).findFirst().orElseThrow();
        // Then reading it is 503 with Retry-After (the copy cannot know it is missing), never 404
        final long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (System.nanoTime() < until) {
            final Response response = api.get("/v1/erasures/" + unapplied);
            assertEquals(503, response.status(), response.body());
            assertNotNull(response.header("Retry-After"), "503 without Retry-After");
        }
    }

    /** The query port of the instance that owns {@code id}, as instance B sees it. */
    private static int ownerPort(String id) {
        final KeyQueryMetadata metadata = ledgerB.streams()
                .queryMetadataForKey(LedgerNames.LEDGER_STORE, id, new StringSerializer());
        return metadata.activeHost().port();
    }

    private static void awaitRead(String id) {
        await().atMost(SETTLED).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100)).until(() -> {
            final Response response = api.get("/v1/erasures/" + id);
            assertNotEquals(404, response.status(), "an accepted request was reported missing");
            return response.status() == 200;
        });
    }

    private static List<String> file(int count) {
        final List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            final Response response = api.post("/v1/erasures", ApiClient.json(Map.of(
                    "subject", Map.of("namespace", "user_id", "value", "standby-" + java.util.UUID.randomUUID()),
                    "jurisdiction", "GDPR", "reason", "account_deleted", "source", "it")));
            assertEquals(202, response.status(), response.body());
            ids.add(response.json().path("id").asText());
        }
        assertTrue(ids.stream().distinct().count() == count);
        return ids;
    }
}
