package dev.lethe.ledger.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.lethe.avro.Notification;
import dev.lethe.avro.RequestStatus;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The webhook call against a real local HTTP server that fails a number of times before it answers. */
class WebhookSenderTest {

    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final AtomicInteger calls = new AtomicInteger();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private HttpServer server;

    private URI start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            calls.incrementAndGet();
            final String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            final int status = failuresLeft.getAndDecrement() > 0 ? 503 : 204;
            if (status == 204) {
                bodies.add(body);
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static Notification overdue() {
        return Notification.newBuilder().setRequestId("req-9").setType("OVERDUE")
                .setStatus(RequestStatus.IN_PROGRESS).setJurisdiction("GDPR")
                .setDeadline(Instant.parse("2026-04-02T09:00:00Z")).setDetail("waiting for crm")
                .setAt(Instant.parse("2026-04-02T09:00:05Z")).build();
    }

    @Test
    void shouldRetryUntilTheWebhookAnswersAndPostTheNotificationAsJson() throws Exception {
        final URI url = start();
        failuresLeft.set(3);

        final boolean delivered = new WebhookSender(new NotifierConfig(url, 5, Duration.ofMillis(10),
                Duration.ofSeconds(2))).send(overdue());

        assertTrue(delivered);
        assertEquals(4, calls.get());
        final JsonNode json = new ObjectMapper().readTree(bodies.get(0));
        assertEquals("req-9", json.get("requestId").asText());
        assertEquals("OVERDUE", json.get("type").asText());
        assertEquals("IN_PROGRESS", json.get("status").asText());
        assertTrue(json.get("previousStatus").isNull());
        assertEquals("2026-04-02T09:00:00Z", json.get("deadline").asText());
        assertEquals("waiting for crm", json.get("detail").asText());
    }

    @Test
    void shouldGiveUpAfterTheLastAttempt() throws Exception {
        final URI url = start();
        failuresLeft.set(100);

        final boolean delivered = new WebhookSender(new NotifierConfig(url, 3, Duration.ofMillis(10),
                Duration.ofSeconds(2))).send(overdue());

        assertFalse(delivered);
        assertEquals(3, calls.get());
        assertTrue(bodies.isEmpty());
    }

    @Test
    void shouldRetryWhenNothingListens() throws Exception {
        final URI url = start();
        server.stop(0);
        server = null;

        assertFalse(new WebhookSender(new NotifierConfig(url, 2, Duration.ofMillis(10), Duration.ofSeconds(1)))
                .send(overdue()));
    }

    @Test
    void shouldReadItsSettingsAndRefuseBadOnes() {
        assertTrue(NotifierConfig.fromEnvironment(Map.of()).isEmpty());
        final NotifierConfig config = NotifierConfig.fromEnvironment(Map.of("LETHE_NOTIFY_URL",
                "https://hooks.example.com/lethe", "LETHE_NOTIFY_MAX_ATTEMPTS", "3")).orElseThrow();
        assertEquals(3, config.maxAttempts());
        assertEquals(Duration.ofMillis(500), config.initialBackoff());
        assertThrows(IllegalArgumentException.class,
                () -> NotifierConfig.fromEnvironment(Map.of("LETHE_NOTIFY_URL", "ftp://x.example.com/")));
        assertThrows(IllegalArgumentException.class, () -> NotifierConfig.fromEnvironment(
                Map.of("LETHE_NOTIFY_URL", "http://x.example.com/", "LETHE_NOTIFY_MAX_ATTEMPTS", "0")));
        assertThrows(IllegalArgumentException.class, () -> NotifierConfig.fromEnvironment(
                Map.of("LETHE_NOTIFY_URL", "http://x.example.com/", "LETHE_NOTIFY_BACKOFF_MS", "soon")));
    }
}
