package dev.lethe.standalone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the command line finds Lethe: a flag, else the environment, else the embedded default's settings. */
class ConnectionTest {

    @TempDir
    Path data;

    @Test
    void shouldFindTheEmbeddedDefaultWithNoFlagAndNoConnectionVariable() throws Exception {
        Files.createDirectories(data.resolve("secrets"));
        Files.writeString(data.resolve("secrets/admin.token"), "generated-admin-token\n");
        final Map<String, String> env = Map.of("LETHE_DATA_DIR", data.toString());
        final Connection connection = new Connection();

        assertEquals("http://localhost:8080", connection.url(env));
        assertEquals("generated-admin-token", connection.token(env));
        assertEquals("127.0.0.1:9092", connection.bootstrapServers(env));
        assertEquals("http://127.0.0.1:8081", connection.schemaRegistryUrl(env));
    }

    @Test
    void shouldFollowTheEmbeddedDefaultsPortsAndPreferTheConnectionVariablesAndThenTheFlags() {
        final Map<String, String> ports = Map.of("LETHE_HTTP_PORT", "18080", "LETHE_KAFKA_PORT", "19092",
                "LETHE_REGISTRY_PORT", "18081", "LETHE_ADMIN_TOKEN", "admin-from-env");
        final Connection connection = new Connection();
        assertEquals("http://localhost:18080", connection.url(ports));
        assertEquals("admin-from-env", connection.token(ports));
        assertEquals("127.0.0.1:19092", connection.bootstrapServers(ports));
        assertEquals("http://127.0.0.1:18081", connection.schemaRegistryUrl(ports));

        final Map<String, String> env = Map.of("LETHE_URL", "https://lethe.example.com/", "LETHE_TOKEN", "t-env",
                "LETHE_BOOTSTRAP_SERVERS", "kafka:9092", "LETHE_SCHEMA_REGISTRY_URL", "http://registry:8081");
        assertEquals("https://lethe.example.com", connection.url(env));
        assertEquals("t-env", connection.token(env));
        assertEquals("kafka:9092", connection.bootstrapServers(env));
        connection.url = "http://other:1";
        connection.token = "t-flag";
        assertEquals("http://other:1", connection.url(env));
        assertEquals("t-flag", connection.token(env));
    }

    @Test
    void refusesToGuessATokenWhenNoneIsGivenAndNoTokenFileExists() {
        final IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new Connection().token(Map.of("LETHE_DATA_DIR", data.toString())));
        assertTrue(e.getMessage().contains("--token"), e.getMessage());
    }
}
