package dev.lethe.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.gateway.auth.Role;
import dev.lethe.schemas.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayConfigTest {

    private static final String INTERNAL = "internal-secret-0123456789abcdef-0123";
    private static final String ADMIN = "admin-token-0123456789";

    @TempDir
    Path dir;

    /** What the gateway cannot serve without: Kafka, the registry and the ledger's internal secret. */
    private static Map<String, String> required(String... more) {
        final Map<String, String> env = new HashMap<>(Map.of(
                "LETHE_BOOTSTRAP_SERVERS", "kafka:9092",
                "LETHE_SCHEMA_REGISTRY_URL", "http://registry:8081",
                "LETHE_INTERNAL_TOKEN", INTERNAL));
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    @Test
    void shouldUseTheDocumentedDefaults() {
        final GatewayConfig config = GatewayConfig.fromEnvironment(required());

        assertEquals(8080, config.httpPort());
        assertEquals("http://localhost:8082", config.ledgerUrl());
        assertNull(config.adminToken());
        assertNull(config.tokensFile());
        assertEquals(List.of("user_id", "email", "phone", "account_id", "device_id", "customer_id"),
                config.namespaces());
        assertEquals(List.of("GDPR", "CCPA", "CPRA", "PIPA"), config.jurisdictions());
        assertEquals(Duration.ofMillis(10_000), config.intakeConfirm());
    }

    @Test
    void shouldReadEverySetting() throws IOException {
        final Path tokens = Files.writeString(dir.resolve("tokens"), "submitter submitter-token-0123456\n");
        final GatewayConfig config = GatewayConfig.fromEnvironment(Map.of(
                "LETHE_HTTP_PORT", "9000",
                "LETHE_BOOTSTRAP_SERVERS", "kafka:9092",
                "LETHE_SCHEMA_REGISTRY_URL", "http://registry:8081",
                "LETHE_LEDGER_URL", "http://ledger:8082",
                "LETHE_ADMIN_TOKEN", ADMIN,
                "LETHE_TOKENS_FILE", tokens.toString(),
                "LETHE_NAMESPACES", " user_id , email,,",
                "LETHE_JURISDICTIONS", "GDPR",
                "LETHE_INTAKE_CONFIRM_MS", "250",
                "LETHE_INTERNAL_TOKEN", INTERNAL));

        assertEquals(9000, config.httpPort());
        assertEquals("kafka:9092", config.bootstrapServers());
        assertEquals("http://registry:8081", config.schemaRegistryUrl());
        assertEquals("http://ledger:8082", config.ledgerUrl());
        assertEquals(ADMIN, config.adminToken());
        assertEquals(tokens, config.tokensFile());
        assertEquals(List.of("user_id", "email"), config.namespaces());
        assertEquals(List.of("GDPR"), config.jurisdictions());
        assertEquals(Duration.ofMillis(250), config.intakeConfirm());
        assertTrue(config.internalToken().matches(INTERNAL));
    }

    @Test
    void shouldRefuseABlankValueNamingTheVariable() {
        // a variable that is set must have a value (it used to count as unset)
        assertProblem("LETHE_HTTP_PORT: is set but empty", required("LETHE_HTTP_PORT", " "));
        assertProblem("LETHE_ADMIN_TOKEN: is set but empty", required("LETHE_ADMIN_TOKEN", ""));
        assertProblem("LETHE_INTAKE_CONFIRM_MS: is set but empty", required("LETHE_INTAKE_CONFIRM_MS", ""));
    }

    @Test
    void shouldRefuseAPortThatIsNotANumberNamingTheVariable() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GatewayConfig.fromEnvironment(required("LETHE_HTTP_PORT", "http")));

        assertTrue(e.getMessage().contains("LETHE_HTTP_PORT"), e.getMessage());
    }

    @Test
    void shouldRefuseAPortOutOfRange() {
        assertProblem("LETHE_HTTP_PORT: must be between 0 and 65535", required("LETHE_HTTP_PORT", "4294975376"));
    }

    @Test
    void shouldRequireKafkaTheRegistryAndTheInternalSecretWhenRead() {
        final Map<String, String> noKafka = required();
        noKafka.remove("LETHE_BOOTSTRAP_SERVERS");
        final Map<String, String> noSecret = required();
        noSecret.remove("LETHE_INTERNAL_TOKEN");

        assertProblem("LETHE_BOOTSTRAP_SERVERS: must be set", noKafka);
        assertProblem("LETHE_INTERNAL_TOKEN_FILE: must be set, or LETHE_INTERNAL_TOKEN", noSecret);
        assertProblem("LETHE_INTERNAL_TOKEN: the secret is 5 bytes", required("LETHE_INTERNAL_TOKEN", "short"));
        assertProblem("LETHE_SCHEMA_REGISTRY_URL: must be an http(s) URL",
                required("LETHE_SCHEMA_REGISTRY_URL", "registry:8081"));
        assertProblem("LETHE_LEDGER_URL: must be an http(s) URL", required("LETHE_LEDGER_URL", "ledger"));
    }

    @Test
    void shouldReadSeveralLedgerInstancesCommaSeparated() {
        final GatewayConfig config = GatewayConfig.fromEnvironment(
                required("LETHE_LEDGER_URL", " http://ledger-1:8082 ,http://ledger-2:8082,"));

        assertEquals("http://ledger-1:8082,http://ledger-2:8082", config.ledgerUrl());
    }

    @Test
    void shouldRefuseABadUrlInTheLedgerListNamingIt() {
        assertProblem("LETHE_LEDGER_URL: must be an http(s) URL with a host, got 'ledger-2:8082'",
                required("LETHE_LEDGER_URL", "http://ledger-1:8082,ledger-2:8082"));
        assertProblem("LETHE_LEDGER_URL: must name at least one", required("LETHE_LEDGER_URL", " , "));
    }

    @Test
    void shouldRefuseAMissingTokensFileWhenRead() {
        final Path missing = dir.resolve("tokens");

        assertProblem("LETHE_TOKENS_FILE: no file at " + missing, required("LETHE_TOKENS_FILE", missing.toString()));
    }

    @Test
    void shouldAcceptTheAdminTokenListedAgainAsAdminInTheTokensFile() throws IOException {
        final Path tokens = Files.writeString(dir.resolve("tokens"), "admin " + ADMIN + "\n");

        final GatewayConfig config = GatewayConfig.fromEnvironment(required("LETHE_ADMIN_TOKEN", ADMIN,
                "LETHE_TOKENS_FILE", tokens.toString()));

        assertEquals(Optional.of(Role.ADMIN), config.authenticator().authenticate(ADMIN));
        assertEquals(1, config.authenticator().size());
    }

    @Test
    void shouldRefuseTheAdminTokenListedForAnotherRoleWhenRead() throws IOException {
        final Path tokens = Files.writeString(dir.resolve("tokens"), "# team\n\nsubmitter " + ADMIN + "\n");

        final ConfigException e = assertProblem("LETHE_TOKENS_FILE: " + tokens + " line 3: the token is already "
                + "given to another role, admin, by LETHE_ADMIN_TOKEN",
                required("LETHE_ADMIN_TOKEN", ADMIN, "LETHE_TOKENS_FILE", tokens.toString()));

        assertFalse(e.getMessage().contains(ADMIN), e.getMessage());
    }

    @Test
    void shouldNeverShowTheAdminTokenOrTheInternalSecretInToString() {
        final GatewayConfig config = GatewayConfig.fromEnvironment(required("LETHE_ADMIN_TOKEN", ADMIN));

        assertFalse(config.toString().contains(ADMIN));
        assertFalse(config.withHttpPort(0).toString().contains(ADMIN));
        assertFalse(config.toString().contains(INTERNAL));
    }

    @Test
    void shouldReplaceTheAdminToken() {
        final GatewayConfig config = GatewayConfig.fromEnvironment(required()).withAdminToken("generated-0123456789");

        assertEquals("generated-0123456789", config.adminToken());
    }

    private static ConfigException assertProblem(String expectedStart, Map<String, String> env) {
        final ConfigException e = assertThrows(ConfigException.class, () -> GatewayConfig.fromEnvironment(env));
        assertTrue(e.getMessage().startsWith(expectedStart), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertFalse(e.getMessage().contains(INTERNAL), e.getMessage());
        return e;
    }
}
