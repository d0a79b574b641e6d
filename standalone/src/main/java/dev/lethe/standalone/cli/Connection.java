package dev.lethe.standalone.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where the command line finds Lethe: a flag, else the environment, else the embedded default's
 * own settings, so that on a machine running {@code ./lethe} no flag is needed.
 *
 * <table>
 *   <caption>settings</caption>
 *   <tr><td>{@code --url}</td><td>{@code LETHE_URL}</td><td>{@code http://localhost:$LETHE_HTTP_PORT} (8080)</td></tr>
 *   <tr><td>{@code --token}</td><td>{@code LETHE_TOKEN}, {@code LETHE_ADMIN_TOKEN}</td>
 *       <td>the token in {@code $LETHE_DATA_DIR/secrets/admin.token} ({@code ./data})</td></tr>
 *   <tr><td>{@code --bootstrap-servers}</td><td>{@code LETHE_BOOTSTRAP_SERVERS}</td>
 *       <td>{@code 127.0.0.1:$LETHE_KAFKA_PORT} (9092)</td></tr>
 *   <tr><td>{@code --schema-registry-url}</td><td>{@code LETHE_SCHEMA_REGISTRY_URL}</td>
 *       <td>{@code http://127.0.0.1:$LETHE_REGISTRY_PORT} (8081)</td></tr>
 * </table>
 */
final class Connection {

    @Option(names = "--url", paramLabel = "URL", description = "the gateway (default: $LETHE_URL, else "
            + "http://localhost:$LETHE_HTTP_PORT, port 8080 unless set)")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN", description = "an API token (default: $LETHE_TOKEN, else "
            + "$LETHE_ADMIN_TOKEN, else the token in $LETHE_DATA_DIR/secrets/admin.token)")
    String token;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "Kafka (default: "
            + "$LETHE_BOOTSTRAP_SERVERS, else 127.0.0.1:$LETHE_KAFKA_PORT, port 9092 unless set)")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", paramLabel = "URL", description = "the schema registry (default: "
            + "$LETHE_SCHEMA_REGISTRY_URL, else http://127.0.0.1:$LETHE_REGISTRY_PORT, port 8081 unless set)")
    String schemaRegistryUrl;

    String url(Map<String, String> env) {
        final String chosen = first(url, env.get("LETHE_URL"),
                "http://localhost:" + first(env.get("LETHE_HTTP_PORT"), "8080"));
        return chosen.endsWith("/") ? chosen.substring(0, chosen.length() - 1) : chosen;
    }

    String token(Map<String, String> env) {
        final String given = first(token, env.get("LETHE_TOKEN"), env.get("LETHE_ADMIN_TOKEN"));
        if (given != null) {
            return given;
        }
        final Path file = Path.of(first(env.get("LETHE_DATA_DIR"), "data")).resolve("secrets").resolve("admin.token");
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalStateException("no API token: give --token or LETHE_TOKEN, or run where " + file
                    + " exists (" + e.getClass().getSimpleName() + ")");
        }
    }

    String bootstrapServers(Map<String, String> env) {
        return first(bootstrapServers, env.get("LETHE_BOOTSTRAP_SERVERS"),
                "127.0.0.1:" + first(env.get("LETHE_KAFKA_PORT"), "9092"));
    }

    String schemaRegistryUrl(Map<String, String> env) {
        return first(schemaRegistryUrl, env.get("LETHE_SCHEMA_REGISTRY_URL"),
                "http://127.0.0.1:" + first(env.get("LETHE_REGISTRY_PORT"), "8081"));
    }

    /** The gateway at {@link #url} with {@link #token}. */
    Api api(Map<String, String> env) {
        return new Api(url(env), token(env));
    }

    /** Reads of Lethe's topics on {@link #bootstrapServers} through {@link #schemaRegistryUrl}. */
    TopicReads topics(Map<String, String> env) {
        return new TopicReads(bootstrapServers(env), schemaRegistryUrl(env));
    }

    private static String first(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value.strip();
            }
        }
        return null;
    }
}
