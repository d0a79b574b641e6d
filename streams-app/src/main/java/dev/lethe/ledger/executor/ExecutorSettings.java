package dev.lethe.ledger.executor;

import dev.lethe.ledger.executor.opendsr.OpenDsrConfig;
import dev.lethe.schemas.config.ConfigException;
import dev.lethe.schemas.config.Env;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Settings of the built-in executors, read from environment variables. Credentials of the S3
 * store come from files ({@code LETHE_S3_ACCESS_KEY_FILE}, {@code LETHE_S3_SECRET_KEY_FILE}),
 * never from the environment itself; without them the SDK's default credential chain is used.
 * Both files are checked (present, readable, not empty) when the settings are read.
 */
public record ExecutorSettings(Set<ExecutorKind> enabled, Optional<URI> s3Endpoint, String s3Region,
                               boolean s3PathStyle, Optional<Path> s3AccessKeyFile, Optional<Path> s3SecretKeyFile,
                               int s3MaxAttempts, Duration retryBase, Duration maxPollInterval,
                               OpenDsrConfig openDsr, Optional<Path> sqlSecretsDir, int sqlMaxAttempts) {

    public static final String EXECUTORS = "LETHE_EXECUTORS";
    public static final String S3_ACCESS_KEY_FILE = "LETHE_S3_ACCESS_KEY_FILE";
    public static final String S3_SECRET_KEY_FILE = "LETHE_S3_SECRET_KEY_FILE";
    /** The directory of the SQL systems' credentials files, which registrations name ({@code sql.credentials}). */
    public static final String SQL_SECRETS_DIR = "LETHE_SQL_SECRETS_DIR";
    /** The longest poll interval a consumer accepts, in minutes ({@code max.poll.interval.ms} is an int). */
    private static final long MAX_POLL_MINUTES = Integer.MAX_VALUE / 60_000;

    public static ExecutorSettings fromEnvironment(Map<String, String> env) {
        return read(Env.of(env));
    }

    public static ExecutorSettings read(Env env) {
        final Set<ExecutorKind> enabled = EnumSet.noneOf(ExecutorKind.class);
        for (String name : env.list(EXECUTORS, List.of())) {
            enabled.add(env.parsed(EXECUTORS, null, ignored -> ExecutorKind.parse(name)));
        }
        final Optional<Path> accessKey = credentialFile(env, S3_ACCESS_KEY_FILE);
        final Optional<Path> secretKey = credentialFile(env, S3_SECRET_KEY_FILE);
        if (accessKey.isPresent() != secretKey.isPresent()) {
            throw new ConfigException(accessKey.isPresent() ? S3_SECRET_KEY_FILE : S3_ACCESS_KEY_FILE,
                    "must be set too: set both " + S3_ACCESS_KEY_FILE + " and " + S3_SECRET_KEY_FILE + ", or neither");
        }
        final Optional<Path> sqlSecrets = env.optional(SQL_SECRETS_DIR).map(ignored -> env.path(SQL_SECRETS_DIR, null));
        if (enabled.contains(ExecutorKind.SQL) && sqlSecrets.map(dir -> !Files.isDirectory(dir)).orElse(true)) {
            throw new ConfigException(SQL_SECRETS_DIR, "must name an existing directory of credentials files when "
                    + EXECUTORS + " includes sql");
        }
        return new ExecutorSettings(Set.copyOf(enabled),
                env.url("LETHE_S3_ENDPOINT"),
                env.string("LETHE_S3_REGION", "us-east-1"),
                env.flag("LETHE_S3_PATH_STYLE", false),
                accessKey, secretKey,
                env.integer("LETHE_S3_MAX_ATTEMPTS", 8, 1, 100),
                env.duration("LETHE_EXECUTOR_RETRY_BASE_MS", ChronoUnit.MILLIS, 500, 1),
                Duration.ofMinutes(env.number("LETHE_EXECUTOR_MAX_POLL_MINUTES", 60, 1, MAX_POLL_MINUTES)),
                OpenDsrConfig.read(env),
                sqlSecrets, env.integer("LETHE_SQL_MAX_ATTEMPTS", 5, 1, 100));
    }

    /** A credential file: readable and not empty (its content is never shown). */
    private static Optional<Path> credentialFile(Env env, String name) {
        final Optional<String> content = env.fileText(name);
        if (content.isPresent() && content.get().isBlank()) {
            throw new ConfigException(name, "the file " + env.path(name, null) + " is empty");
        }
        return content.map(ignored -> env.path(name, null));
    }

    public boolean enabled(ExecutorKind kind) {
        return enabled.contains(kind);
    }
}
