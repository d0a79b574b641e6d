package dev.lethe.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.gateway.GatewayConfig;
import dev.lethe.gateway.GatewayServer;
import dev.lethe.standalone.ApiClient.Response;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Intake through a real broker: the gateway answers 202 as soon as a request is durable, before the
 * ledger has applied it, and a GET right after the 202 still never answers 404, on either of two
 * gateways in front of the ledger (one reading it over HTTP, one in process as the embedded default
 * does, each filing and reading); and the batch endpoint files many requests at once, each
 * answered on its own and idempotent by its key.
 */
@Tag("integration")
class IntakeIntegrationTest {

    private static final String APPLICATION_ID = "lethe-it-intake";
    private static final int CLIENTS = 16;
    private static final int PER_CLIENT = 25;

    @TempDir
    static Path dir;

    private static ItLethe lethe;
    private static GatewayServer second;
    private static ApiClient api;
    private static ApiClient other;

    @BeforeAll
    static void start() {
        lethe = ItLethe.start(dir, APPLICATION_ID);
        api = lethe.api();
        // The second gateway is wired as the embedded default wires it: request and subject reads in process.
        final LedgerInProcess inProcess = new LedgerInProcess(lethe.ledger());
        second = new GatewayServer(GatewayConfig.fromEnvironment(
                LetheEnv.gateway(lethe.cluster(), lethe.ledgerQueryPort())), () -> inProcess).start();
        other = new ApiClient(second.port(), LetheEnv.ADMIN_TOKEN);
        // Read the served contract once before the clients share these ApiClients.
        assertEquals(200, api.get("/health").status());
        assertEquals(200, other.get("/health").status());
    }

    @AfterAll
    static void stop() {
        if (second != null) {
            second.close();
        }
        if (lethe != null) {
            lethe.close();
        }
    }

    @Test
    void shouldNeverAnswer404ToAGetRightAfterA202OnEitherGateway() throws Exception {
        final Map<Integer, Integer> getStatuses = new ConcurrentHashMap<>();
        final ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            final CountDownLatch go = new CountDownLatch(1);
            final List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                final ApiClient writer = c % 4 < 2 ? api : other;
                final ApiClient reader = c % 2 == 0 ? api : other;
                clients.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < PER_CLIENT; i++) {
                        // When a request is filed and read back at once
                        final Response filed = writer.post("/v1/erasures", FullFlowIntegrationTest.requestBody(
                                "u-" + UUID.randomUUID(), "x@example.com", "GDPR"));
                        assertEquals(202, filed.status(), filed.body());
                        final String id = filed.json().path("id").asText();
                        final Response read = reader.get("/v1/erasures/" + id);
                        getStatuses.merge(read.status(), 1, Integer::sum);
                        // Then the read finds it (a 503 with Retry-After would be allowed; a 404 never)
                        assertNotEquals(404, read.status(), read.body());
                        if (read.status() == 200) {
                            assertEquals(id, read.json().path("id").asText());
                        } else {
                            assertEquals(503, read.status(), read.body());
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> client : clients) {
                client.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(CLIENTS * PER_CLIENT, getStatuses.values().stream().mapToInt(Integer::intValue).sum());
        assertTrue(getStatuses.getOrDefault(200, 0) > CLIENTS * PER_CLIENT / 2, "GET answers: " + getStatuses);
    }

    @Test
    void shouldFileABatchAnsweringEachItemAndReplayItByItsKeys() {
        final String run = UUID.randomUUID().toString();
        final List<Object> items = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            items.add(item("u-" + run + "-" + i, "key-" + run + "-" + i));
        }
        final Map<String, Object> invalid = item("u-" + run + "-bad", null);
        invalid.put("jurisdiction", "MARS");
        items.add(invalid);

        // When a batch of 200 valid requests and one invalid one is filed
        final Response first = api.post("/v1/erasures/batch", ApiClient.json(Map.of("requests", items)));

        // Then every valid item is accepted with its own id and the invalid one refused alone
        assertEquals(200, first.status(), first.body());
        final JsonNode results = first.json().path("results");
        assertEquals(200, first.json().path("accepted").asInt(), first.body());
        assertEquals(400, results.get(200).path("code").asInt());
        assertEquals("requests[200].jurisdiction", results.get(200).path("field").asText());
        // and each accepted id can be read at once, through either gateway
        for (int i = 0; i < 200; i++) {
            assertEquals(202, results.get(i).path("code").asInt(), results.get(i).toString());
            final Response read = (i % 2 == 0 ? api : other).get("/v1/erasures/" + results.get(i).path("id").asText());
            assertNotEquals(404, read.status(), read.body());
        }

        // When the same batch is sent again (a retry), with one item's body changed
        items.set(7, item("u-" + run + "-changed", "key-" + run + "-7"));
        final Response again = api.post("/v1/erasures/batch", ApiClient.json(Map.of("requests", items)));

        // Then every unchanged item gets the same id again, and the changed one a 422
        final JsonNode replayed = again.json().path("results");
        for (int i = 0; i < 200; i++) {
            if (i == 7) {
                assertEquals(422, replayed.get(i).path("code").asInt(), replayed.get(i).toString());
                assertEquals("idempotency_key_reused", replayed.get(i).path("error").asText());
            } else {
                assertEquals(202, replayed.get(i).path("code").asInt(), replayed.get(i).toString());
                assertEquals(results.get(i).path("id").asText(), replayed.get(i).path("id").asText());
            }
        }
    }

    private static Map<String, Object> item(String userId, String key) {
        final Map<String, Object> item = new LinkedHashMap<>();
        item.put("subject", Map.of("namespace", "user_id", "value", userId));
        item.put("jurisdiction", "GDPR");
        item.put("reason", "account_deleted");
        item.put("source", "accounts-service");
        if (key != null) {
            item.put("idempotencyKey", key);
        }
        return item;
    }
}
