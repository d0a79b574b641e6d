package dev.lethe.ledger.executor;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Settings of the built-in executors, read from environment variables. Credentials of the S3
 * store come from files ({@code LETHE_S3_ACCESS_KEY_FILE}, {@code LETHE_S3_SECRET_KEY_FILE}),
 * never from the environment itself; without them the SDK's default credential chain is used.
 */
public record ExecutorSettings(Set<ExecutorKind> enabled, Optional<URI> s3Endpoint, String s3Region,
                               boolean s3PathStyle, Optional<Path> s3AccessKeyFile, Optional<Path> s3SecretKeyFile,
                               int s3MaxAttempts, Duration retryBase, Duration maxPollInterval) {

    public static ExecutorSettings fromEnvironment(Map<String, String> env) {
        final Set<ExecutorKind> enabled = EnumSet.noneOf(ExecutorKind.class);
        Arrays.stream(env.getOrDefault("LETHE_EXECUTORS", "").split(","))
                .filter(s -> !s.isBlank())
                .forEach(s -> enabled.add(ExecutorKind.parse(s)));
        final Optional<Path> accessKey = path(env, "LETHE_S3_ACCESS_KEY_FILE");
        final Optional<Path> secretKey = path(env, "LETHE_S3_SECRET_KEY_FILE");
        if (accessKey.isPresent() != secretKey.isPresent()) {
            throw new IllegalArgumentException("set both LETHE_S3_ACCESS_KEY_FILE and LETHE_S3_SECRET_KEY_FILE, or neither");
        }
        return new ExecutorSettings(Set.copyOf(enabled),
                Optional.ofNullable(env.get("LETHE_S3_ENDPOINT")).filter(s -> !s.isBlank()).map(URI::create),
                env.getOrDefault("LETHE_S3_REGION", "us-east-1"),
                Boolean.parseBoolean(env.getOrDefault("LETHE_S3_PATH_STYLE", "false")),
                accessKey, secretKey,
                Integer.parseInt(env.getOrDefault("LETHE_S3_MAX_ATTEMPTS", "8")),
                Duration.ofMillis(Long.parseLong(env.getOrDefault("LETHE_EXECUTOR_RETRY_BASE_MS", "500"))),
                Duration.ofMinutes(Long.parseLong(env.getOrDefault("LETHE_EXECUTOR_MAX_POLL_MINUTES", "60"))));
    }

    private static Optional<Path> path(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).filter(s -> !s.isBlank()).map(Path::of);
    }

    public boolean enabled(ExecutorKind kind) {
        return enabled.contains(kind);
    }
}
