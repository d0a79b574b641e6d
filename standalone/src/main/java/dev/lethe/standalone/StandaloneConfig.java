package dev.lethe.standalone;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Settings of the embedded default, from environment variables (ARCHITECTURE.md, "Running").
 * Every port binds to the loopback interface.
 */
public record StandaloneConfig(Path dataDir, int httpPort, int kafkaPort, int controllerPort, int registryPort,
                               int queryPort, Optional<String> adminToken, Optional<Path> tokensFile,
                               Optional<Path> pseudonymSecretFile, Optional<Path> systemsFile,
                               boolean manualApproval, int s3Port) {

    public static StandaloneConfig fromEnvironment(Map<String, String> env) {
        return new StandaloneConfig(
                Path.of(env.getOrDefault("LETHE_DATA_DIR", "data")),
                port(env, "LETHE_HTTP_PORT", 8080),
                port(env, "LETHE_KAFKA_PORT", 9092),
                port(env, "LETHE_KAFKA_CONTROLLER_PORT", 9093),
                port(env, "LETHE_REGISTRY_PORT", 8081),
                port(env, "LETHE_QUERY_PORT", 8082),
                optional(env, "LETHE_ADMIN_TOKEN"),
                optional(env, "LETHE_TOKENS_FILE").map(Path::of),
                optional(env, "LETHE_PSEUDONYM_SECRET_FILE").map(Path::of),
                optional(env, "LETHE_SYSTEMS_FILE").map(Path::of),
                "manual".equalsIgnoreCase(env.getOrDefault("LETHE_APPROVAL", "auto")),
                port(env, "LETHE_S3_PORT", 9090));
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        final String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            final int port = Integer.parseInt(value.strip());
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException(name + " must be a port between 1 and 65535, got " + value);
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number, got '" + value + "'", e);
        }
    }

    private static Optional<String> optional(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::strip).filter(s -> !s.isEmpty());
    }
}
