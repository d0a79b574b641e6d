package dev.lethe.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayConfigTest {

    @Test
    void shouldUseTheDocumentedDefaults() {
        final GatewayConfig config = GatewayConfig.fromEnvironment(Map.of());

        assertEquals(8080, config.httpPort());
        assertNull(config.bootstrapServers());
        assertNull(config.schemaRegistryUrl());
        assertEquals("http://localhost:8082", config.ledgerUrl());
        assertNull(config.adminToken());
        assertNull(config.tokensFile());
        assertEquals(List.of("user_id", "email", "phone", "account_id", "device_id", "customer_id"),
                config.namespaces());
        assertEquals(List.of("GDPR", "CCPA", "CPRA", "PIPA"), config.jurisdictions());
        assertEquals(Duration.ofMillis(10_000), config.intakeConfirm());
    }

    @Test
    void shouldReadEverySetting() {
        final GatewayConfig config = GatewayConfig.fromEnvironment(Map.of(
                "LETHE_HTTP_PORT", "9000",
                "LETHE_BOOTSTRAP_SERVERS", "kafka:9092",
                "LETHE_SCHEMA_REGISTRY_URL", "http://registry:8081",
                "LETHE_LEDGER_URL", "http://ledger:8082",
                "LETHE_ADMIN_TOKEN", "admin-token-0123456789",
                "LETHE_TOKENS_FILE", "/run/secrets/tokens",
                "LETHE_NAMESPACES", " user_id , email,,",
                "LETHE_JURISDICTIONS", "GDPR",
                "LETHE_INTAKE_CONFIRM_MS", "250"));

        assertEquals(9000, config.httpPort());
        assertEquals("kafka:9092", config.bootstrapServers());
        assertEquals("http://registry:8081", config.schemaRegistryUrl());
        assertEquals("http://ledger:8082", config.ledgerUrl());
        assertEquals("admin-token-0123456789", config.adminToken());
        assertEquals(Path.of("/run/secrets/tokens"), config.tokensFile());
        assertEquals(List.of("user_id", "email"), config.namespaces());
        assertEquals(List.of("GDPR"), config.jurisdictions());
        assertEquals(Duration.ofMillis(250), config.intakeConfirm());
    }

    @Test
    void shouldTreatBlankValuesAsUnset() {
        final GatewayConfig config = GatewayConfig.fromEnvironment(Map.of("LETHE_HTTP_PORT", " ",
                "LETHE_ADMIN_TOKEN", ""));

        assertEquals(8080, config.httpPort());
        assertNull(config.adminToken());
    }

    @Test
    void shouldRefuseAPortThatIsNotANumberNamingTheVariable() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GatewayConfig.fromEnvironment(Map.of("LETHE_HTTP_PORT", "http")));

        assertTrue(e.getMessage().contains("LETHE_HTTP_PORT"), e.getMessage());
    }

    @Test
    void shouldRefuseAPortOutOfRange() {
        assertThrows(IllegalArgumentException.class,
                () -> GatewayConfig.fromEnvironment(Map.of("LETHE_HTTP_PORT", "4294975376")));
    }

    @Test
    void shouldNeverShowTheAdminTokenInToString() {
        final GatewayConfig config = GatewayConfig.fromEnvironment(Map.of("LETHE_ADMIN_TOKEN", "admin-token-0123456789"));

        assertFalse(config.toString().contains("admin-token-0123456789"));
        assertFalse(config.withHttpPort(0).toString().contains("admin-token-0123456789"));
    }

    @Test
    void shouldReplaceTheAdminToken() {
        final GatewayConfig config = GatewayConfig.fromEnvironment(Map.of()).withAdminToken("generated-0123456789");

        assertEquals("generated-0123456789", config.adminToken());
    }
}
