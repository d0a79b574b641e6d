package dev.lethe.standalone;

import dev.lethe.schemas.config.ConfigException;
import dev.lethe.schemas.config.Env;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Settings of the embedded default, from environment variables (ARCHITECTURE.md, "Running"),
 * read and checked through {@link Env}: a blank or malformed value is a {@link ConfigException}
 * naming the variable. Every port binds to the loopback interface.
 */
public record StandaloneConfig(Path dataDir, int httpPort, int kafkaPort, int controllerPort, int registryPort,
                               int queryPort, Optional<String> adminToken, Optional<Path> tokensFile,
                               Optional<Path> pseudonymSecretFile, Optional<Path> systemsFile,
                               boolean manualApproval, int s3Port) {

    public static StandaloneConfig fromEnvironment(Map<String, String> env) {
        return read(Env.of(env));
    }

    public static StandaloneConfig read(Env env) {
        return new StandaloneConfig(
                env.path("LETHE_DATA_DIR", "data"),
                env.port("LETHE_HTTP_PORT", 8080, 1),
                env.port("LETHE_KAFKA_PORT", 9092, 1),
                env.port("LETHE_KAFKA_CONTROLLER_PORT", 9093, 1),
                env.port("LETHE_REGISTRY_PORT", 8081, 1),
                env.port("LETHE_QUERY_PORT", 8082, 1),
                env.optional("LETHE_ADMIN_TOKEN"),
                env.readableFile("LETHE_TOKENS_FILE"),
                env.readableFile("LETHE_PSEUDONYM_SECRET_FILE"),
                env.readableFile("LETHE_SYSTEMS_FILE"),
                "manual".equalsIgnoreCase(env.string("LETHE_APPROVAL", "auto")),
                env.port("LETHE_S3_PORT", 9090, 1));
    }
}
