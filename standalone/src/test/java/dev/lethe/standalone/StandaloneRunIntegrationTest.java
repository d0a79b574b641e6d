package dev.lethe.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.standalone.ApiClient.Response;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default as {@code ./lethe} runs it, on free ports: it generates the internal secret
 * with the others, the gateway reads the ledger with it, and the ledger's query port refuses
 * anyone without it.
 */
@Tag("integration")
class StandaloneRunIntegrationTest {

    @TempDir
    Path dir;

    @Test
    void shouldGenerateTheInternalSecretAndServeTheGatewayWithIt() throws Exception {
        final Path data = dir.resolve("data");
        final Map<String, String> env = new HashMap<>();
        env.put("LETHE_DATA_DIR", data.toString());
        for (String port : List.of("LETHE_HTTP_PORT", "LETHE_KAFKA_PORT", "LETHE_KAFKA_CONTROLLER_PORT",
                "LETHE_REGISTRY_PORT", "LETHE_QUERY_PORT", "LETHE_S3_PORT")) {
            env.put(port, Integer.toString(LetheEnv.freePort()));
        }
        final ByteArrayOutputStream console = new ByteArrayOutputStream();

        try (LetheStandalone lethe = LetheStandalone.start(env, new PrintStream(console, true, StandardCharsets.UTF_8))) {
            final String internal = Files.readString(data.resolve("secrets/internal.token")).strip();
            final String admin = Files.readString(data.resolve("secrets/admin.token")).strip();
            final ApiClient api = new ApiClient(lethe.httpPort(), admin);
            final int queryPort = Integer.parseInt(env.get("LETHE_QUERY_PORT"));

            final Response filed = api.post("/v1/erasures", ApiClient.json(Map.of(
                    "subject", Map.of("namespace", "user_id", "value", "u-standalone-1"),
                    "jurisdiction", "GDPR", "reason", "account_deleted", "source", "it")));
            assertEquals(202, filed.status(), filed.body());
            final String id = filed.json().path("id").asText();
            await().atMost(Duration.ofSeconds(60)).until(() -> api.get("/v1/erasures/" + id).status() == 200);
            assertEquals(200, api.get("/health").status(), api.get("/health").body());

            assertEquals(401, new ApiClient(queryPort, admin).get("/internal/v1/requests/" + id).status());
            assertEquals(401, new ApiClient(queryPort, "").get("/internal/v1/systems").status());
            assertEquals(200, new ApiClient(queryPort, internal).get("/internal/v1/requests/" + id).status());
            assertTrue(internal.length() >= 32);
            assertFalse(console.toString(StandardCharsets.UTF_8).contains(internal), "the internal secret was shown");
        }
    }
}
