package dev.lethe.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The server as the standalone run and {@link GatewayMain} build it, with nothing behind it. */
class GatewayServerTest {

    @Test
    void shouldServeHealthDownWhileNothingBehindItRuns() throws Exception {
        final int closed = closedPort();
        final GatewayConfig config = GatewayConfig.fromEnvironment(Map.of(
                "LETHE_HTTP_PORT", "0",
                "LETHE_BOOTSTRAP_SERVERS", "127.0.0.1:" + closed,
                "LETHE_SCHEMA_REGISTRY_URL", "http://127.0.0.1:" + closed,
                "LETHE_LEDGER_URL", "http://127.0.0.1:" + closed,
                "LETHE_ADMIN_TOKEN", "admin-token-0123456789",
                "LETHE_INTERNAL_TOKEN", "internal-secret-0123456789abcdef-0123"));
        try (GatewayServer server = new GatewayServer(config).start()) {
            final HttpClient http = HttpClient.newHttpClient();
            final String base = "http://127.0.0.1:" + server.port();

            final HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            final HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/erasures"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

            assertEquals(503, health.statusCode());
            assertTrue(health.body().contains("\"UNREACHABLE\""), health.body());
            assertEquals(401, anonymous.statusCode());
        }
    }

    @Test
    void shouldAnswer503WithRetryAfterOnEveryRouteUntilReady() throws Exception {
        final int closed = closedPort();
        try (GatewayServer server = new GatewayServer(configBehind(closed)).listen()) {
            final HttpClient http = HttpClient.newHttpClient();
            final String base = "http://127.0.0.1:" + server.port();

            final HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            final HttpResponse<String> write = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/erasures"))
                    .header("Authorization", "Bearer admin-token-0123456789")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

            assertEquals(503, health.statusCode(), health.body());
            assertEquals("1", health.headers().firstValue("Retry-After").orElse(null));
            assertTrue(health.body().contains("\"status\":\"STARTING\""), health.body());
            assertEquals(503, write.statusCode(), write.body());
            assertEquals("1", write.headers().firstValue("Retry-After").orElse(null));
            assertTrue(write.body().contains("\"error\":\"unavailable\""), write.body());

            server.ready();
            final HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/erasures"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, anonymous.statusCode(), anonymous.body());
        }
    }

    private static GatewayConfig configBehind(int closed) {
        return GatewayConfig.fromEnvironment(Map.of(
                "LETHE_HTTP_PORT", "0",
                "LETHE_BOOTSTRAP_SERVERS", "127.0.0.1:" + closed,
                "LETHE_SCHEMA_REGISTRY_URL", "http://127.0.0.1:" + closed,
                "LETHE_LEDGER_URL", "http://127.0.0.1:" + closed,
                "LETHE_ADMIN_TOKEN", "admin-token-0123456789",
                "LETHE_INTERNAL_TOKEN", "internal-secret-0123456789abcdef-0123"));
    }

    @Test
    void shouldRefuseToBuildWithoutKafkaNamingTheVariable() {
        final GatewayConfig config = GatewayConfig.fromEnvironment(Map.of(
                "LETHE_BOOTSTRAP_SERVERS", "127.0.0.1:1",
                "LETHE_SCHEMA_REGISTRY_URL", "http://127.0.0.1:1",
                "LETHE_INTERNAL_TOKEN", "internal-secret-0123456789abcdef-0123"));

        final IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new GatewayServer(new GatewayConfig(0, null, config.schemaRegistryUrl(), config.ledgerUrl(),
                        null, null, config.namespaces(), config.jurisdictions(), config.intakeConfirm(),
                        config.internalToken())));

        assertTrue(e.getMessage().contains("LETHE_BOOTSTRAP_SERVERS"), e.getMessage());
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
