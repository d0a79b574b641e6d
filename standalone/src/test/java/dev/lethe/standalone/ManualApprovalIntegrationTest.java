package dev.lethe.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.lethe.gateway.GatewayConfig;
import dev.lethe.gateway.GatewayServer;
import dev.lethe.ledger.LedgerApp;
import dev.lethe.ledger.LedgerConfig;
import dev.lethe.standalone.ApiClient.Response;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Manual approval end to end: under the rule list {@code manual:GDPR,auto} a GDPR request filed
 * over HTTP waits in PENDING_APPROVAL (a CCPA one goes straight on) until an approver's
 * {@code Approved} decision arrives, then it is routed and dispatched; the notification webhook
 * (a real local HTTP server that fails its first calls) hears of each status change, in order.
 * The approval goes through the gateway's {@code POST /v1/erasures/{id}/approve}.
 */
@Tag("integration")
class ManualApprovalIntegrationTest {

    private static final String APPLICATION_ID = "lethe-it-manual-approval";

    @TempDir
    static Path dir;

    private static final List<JsonNode> HOOKED = new CopyOnWriteArrayList<>();
    private static final AtomicInteger FAILURES_LEFT = new AtomicInteger(2);
    private static HttpServer webhook;
    private static ItCluster cluster;
    private static LedgerApp ledger;
    private static GatewayServer gateway;
    private static ApiClient api;

    @BeforeAll
    static void start() throws IOException {
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/hook", exchange -> {
            final byte[] body = exchange.getRequestBody().readAllBytes();
            if (FAILURES_LEFT.getAndDecrement() > 0) {
                exchange.sendResponseHeaders(503, -1);
            } else {
                HOOKED.add(ApiClient.JSON.readTree(new String(body, StandardCharsets.UTF_8)));
                exchange.sendResponseHeaders(204, -1);
            }
            exchange.close();
        });
        webhook.start();
        cluster = ItCluster.withRegistry(dir);
        final Map<String, String> env = LetheEnv.ledger(cluster, APPLICATION_ID, dir.resolve("streams"),
                LetheEnv.freePort(), LetheEnv.systemsFile(dir));
        env.put("LETHE_APPROVAL", "manual:GDPR,auto");
        env.put("LETHE_NOTIFY_URL", "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook");
        env.put("LETHE_NOTIFY_BACKOFF_MS", "50");
        ledger = LedgerApp.start(LedgerConfig.fromEnvironment(env));
        gateway = new GatewayServer(GatewayConfig.fromEnvironment(LetheEnv.gateway(cluster, ledger.queryPort())))
                .start();
        api = new ApiClient(gateway.port(), LetheEnv.ADMIN_TOKEN);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (ledger != null) {
            ledger.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (webhook != null) {
            webhook.stop(0);
        }
    }

    @Test
    void shouldHoldAGdprRequestUntilApprovedThenDispatchAndNotifyEachStatusChange() throws Exception {
        final String userId = "u-" + UUID.randomUUID();
        final String email = "approve-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";

        // Given a GDPR request filed over HTTP, under the rule manual:GDPR
        final Response filed = api.post("/v1/erasures", FullFlowIntegrationTest.requestBody(userId, email, "GDPR"));
        assertEquals(202, filed.status(), filed.body());
        final String id = filed.json().path("id").asText();

        // Then it waits for an approver and nothing is dispatched
        final JsonNode pending = api.awaitStatus(id, "PENDING_APPROVAL");
        assertEquals(0, pending.path("systems").size());

        // while a CCPA request (no manual rule matches it: auto) goes straight on
        final Response ccpa = api.post("/v1/erasures", FullFlowIntegrationTest.requestBody("u-" + UUID.randomUUID(),
                "ccpa-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com", "CCPA"));
        api.awaitStatus(ccpa.json().path("id").asText(), "IN_PROGRESS");

        // When an approver approves it
        final Response approval = api.post("/v1/erasures/" + id + "/approve",
                ApiClient.json(Map.of("note", "identity checked")));
        assertEquals(202, approval.status(), approval.body());
        // and approving it again is refused: it is no longer waiting
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(409, api.post(
                "/v1/erasures/" + id + "/approve", ApiClient.json(Map.of("note", "again"))).status()));

        // Then it is routed to the systems that hold its namespaces and dispatched
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            final JsonNode request = api.get("/v1/erasures/" + id).json();
            assertEquals("IN_PROGRESS", request.path("status").asText(), request.toString());
            assertEquals(List.of("analytics", "billing", "crm"), FullFlowIntegrationTest.names(request));
        });
        final JsonNode trail = api.get("/v1/erasures/" + id + "/audit").json();
        final JsonNode approved = StreamSupport.stream(trail.spliterator(), false)
                .filter(fact -> fact.path("type").asText().equals("APPROVED")).findFirst().orElseThrow();
        assertEquals("admin", approved.path("actor").asText());
        assertEquals("identity checked", approved.path("detail").asText());

        // And the webhook, after failing its first calls, heard both status changes in order
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(
                List.of("null>PENDING_APPROVAL", "PENDING_APPROVAL>IN_PROGRESS"), changesOf(id)));
        final String all = HOOKED.toString();
        assertTrue(!all.contains(userId) && !all.contains(email), "no raw identifier in notifications");
    }

    private static List<String> changesOf(String id) {
        return HOOKED.stream().filter(n -> n.path("requestId").asText().equals(id))
                .filter(n -> n.path("type").asText().equals("STATUS_CHANGED"))
                .map(n -> n.path("previousStatus").asText("null") + ">" + n.path("status").asText()).toList();
    }
}
