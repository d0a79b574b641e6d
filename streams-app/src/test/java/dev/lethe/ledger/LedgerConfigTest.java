package dev.lethe.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.ledger.executor.ExecutorKind;
import dev.lethe.schemas.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every setting of the ledger is read and checked at once, each error naming its variable in one line. */
class LedgerConfigTest {

    private static final String PSEUDONYM = "test-pseudonym-secret-0123456789abcdef";
    private static final String INTERNAL = "test-internal-token-0123456789abcdef";

    @TempDir
    Path dir;

    private static Map<String, String> minimal() {
        final Map<String, String> env = new HashMap<>();
        env.put("LETHE_BOOTSTRAP_SERVERS", "kafka:9092");
        env.put("LETHE_SCHEMA_REGISTRY_URL", "http://registry:8081");
        env.put("LETHE_PSEUDONYM_SECRET", PSEUDONYM);
        env.put("LETHE_INTERNAL_TOKEN", INTERNAL);
        return env;
    }

    @Test
    void shouldReadTheDocumentedDefaults() {
        final LedgerConfig config = LedgerConfig.fromEnvironment(minimal());

        assertEquals("lethe-ledger", config.applicationId());
        assertEquals("0.0.0.0", config.queryBindAddress());
        assertEquals(8082, config.queryPort());
        assertEquals(6, config.partitions());
        assertEquals(3, config.replicationFactor());
        assertEquals(Duration.ofDays(120), config.workRetention());
        assertEquals(Duration.ofMillis(100), config.commitInterval());
        assertEquals(Duration.ofSeconds(120), config.startTimeout());
        assertEquals(Optional.empty(), config.systemsFile());
        assertTrue(config.internalToken().matches(INTERNAL));
        assertFalse(config.toString().contains(PSEUDONYM), "toString shows the pseudonym secret");
        assertFalse(config.toString().contains(INTERNAL), "toString shows the internal secret");
    }

    @Test
    void shouldNotLetARestoreWaitHalfASecondAtTheEndOfEachChangelog() {
        final Properties props = LedgerConfig.fromEnvironment(minimal()).streamsProperties();

        assertEquals(100, props.get(StreamsConfig.restoreConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG)));
        assertEquals(100, props.get(StreamsConfig.globalConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG)));
    }

    @Test
    void shouldJoinAsAStaticMemberThatACrashedInstanceLosesQuickly() {
        final Map<String, String> env = minimal();
        env.put("LETHE_ADVERTISED_HOST", "ledger-1");
        env.put("LETHE_QUERY_PORT", "8092");

        final Properties defaults = LedgerConfig.fromEnvironment(env).streamsProperties();
        env.put("LETHE_INSTANCE_ID", "ledger-a");
        env.put("LETHE_SESSION_TIMEOUT_MS", "8000");
        final Properties chosen = LedgerConfig.fromEnvironment(env).streamsProperties();

        assertEquals("lethe-ledger-ledger-1-8092",
                defaults.get(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG)));
        assertEquals(6_000, defaults.get(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG)));
        assertEquals(StreamsConfig.EXACTLY_ONCE_V2, defaults.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        assertEquals("ledger-a", chosen.get(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG)));
        assertEquals(8_000, chosen.get(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG)));
        assertEquals(1_600, chosen.get(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG)));
    }

    @Test
    void shouldRefuseABlankNumberNamingTheVariable() {
        assertProblem("LETHE_PARTITIONS: is set but empty", "LETHE_PARTITIONS", " ");
        assertProblem("LETHE_PARTITIONS: must be a whole number, got 'six'", "LETHE_PARTITIONS", "six");
        assertProblem("LETHE_REPLICATION_FACTOR: must be between 1 and 32767, got 40000",
                "LETHE_REPLICATION_FACTOR", "40000");
        assertProblem("LETHE_QUERY_PORT: must be between 1 and 65535", "LETHE_QUERY_PORT", "0");
        assertProblem("LETHE_COMMIT_INTERVAL_MS: must be a whole number", "LETHE_COMMIT_INTERVAL_MS", "1s");
        assertProblem("LETHE_ROCKSDB_MEMORY_MB: must be between 0", "LETHE_ROCKSDB_MEMORY_MB", "-1");
        assertProblem("LETHE_SCHEMA_REGISTRY_URL: must be an http(s) URL", "LETHE_SCHEMA_REGISTRY_URL", "registry");
    }

    @Test
    void shouldRequireTheInternalSecretOfAtLeast32Bytes() {
        final Map<String, String> missing = minimal();
        missing.remove("LETHE_INTERNAL_TOKEN");
        final ConfigException none = assertThrows(ConfigException.class, () -> LedgerConfig.fromEnvironment(missing));
        assertTrue(none.getMessage().startsWith("LETHE_INTERNAL_TOKEN_FILE: must be set, or LETHE_INTERNAL_TOKEN"),
                none.getMessage());

        assertProblem("LETHE_INTERNAL_TOKEN: the secret is 5 bytes; at least 32 are needed",
                "LETHE_INTERNAL_TOKEN", "short");
    }

    @Test
    void shouldRequireThePseudonymSecretWhenReadNotWhenTheTopologyIsBuilt() {
        final Map<String, String> env = minimal();
        env.remove("LETHE_PSEUDONYM_SECRET");

        final ConfigException e = assertThrows(ConfigException.class, () -> LedgerConfig.fromEnvironment(env));

        assertTrue(e.getMessage().startsWith("LETHE_PSEUDONYM_SECRET_FILE: must be set"), e.getMessage());
    }

    @Test
    void shouldRefuseFilesThatAreMissingOrEmptyWhenRead() throws IOException {
        final Path access = Files.writeString(dir.resolve("access"), "lethe");
        final Path empty = Files.writeString(dir.resolve("secret"), "\n");

        assertProblem("LETHE_SYSTEMS_FILE: no file at " + dir.resolve("systems.json"),
                "LETHE_SYSTEMS_FILE", dir.resolve("systems.json").toString());
        assertProblem("LETHE_PSEUDONYM_SECRET_FILE: no file at " + dir.resolve("none"), Map.of(
                "LETHE_PSEUDONYM_SECRET_FILE", dir.resolve("none").toString()), "LETHE_PSEUDONYM_SECRET");
        assertProblem("LETHE_S3_SECRET_KEY_FILE: the file " + empty + " is empty", Map.of(
                "LETHE_S3_ACCESS_KEY_FILE", access.toString(), "LETHE_S3_SECRET_KEY_FILE", empty.toString()));
        assertProblem("LETHE_S3_SECRET_KEY_FILE: must be set too", Map.of(
                "LETHE_S3_ACCESS_KEY_FILE", access.toString()));
    }

    @Test
    void shouldCheckTheExecutorAndWebhookSettingsWhenRead() {
        assertProblem("LETHE_EXECUTORS: unknown executor 'ftp' (known: s3, http, opendsr, sql)", "LETHE_EXECUTORS", "s3,ftp");
        assertProblem("LETHE_SQL_SECRETS_DIR: must name an existing directory of credentials files when "
                + "LETHE_EXECUTORS includes sql", "LETHE_EXECUTORS", "sql");
        assertProblem("LETHE_S3_PATH_STYLE: must be true or false, got 'yes'", "LETHE_S3_PATH_STYLE", "yes");
        assertProblem("LETHE_S3_ENDPOINT: must be an http(s) URL", "LETHE_S3_ENDPOINT", "minio:9000");
        assertProblem("LETHE_EXECUTOR_MAX_POLL_MINUTES: must be between 1 and 35791",
                "LETHE_EXECUTOR_MAX_POLL_MINUTES", "99999");
        assertProblem("LETHE_NOTIFY_TIMEOUT_MS: must be a whole number", "LETHE_NOTIFY_TIMEOUT_MS", "5s");
        assertProblem("LETHE_APPROVAL: ", "LETHE_APPROVAL", "sometimes");

        final Map<String, String> env = minimal();
        env.put("LETHE_EXECUTORS", " s3 , http");
        assertEquals(Set.of(ExecutorKind.S3, ExecutorKind.HTTP), LedgerConfig.fromEnvironment(env).executors().enabled());
    }

    @Test
    void shouldReadTheForgetDelayAndTheKeyEncryptionKeyOrDeriveOne() {
        final LedgerConfig defaults = LedgerConfig.fromEnvironment(minimal());
        assertEquals(java.time.Duration.ofDays(7), defaults.forgetAfter());
        assertEquals(java.time.Duration.ofMinutes(1), defaults.requestsTrimInterval());
        final Map<String, String> env = minimal();
        env.put("LETHE_FORGET_AFTER", "PT30S");
        env.put("LETHE_KEK", "a-key-encryption-key-of-at-least-32-bytes");
        final LedgerConfig set = LedgerConfig.fromEnvironment(env);
        assertEquals(java.time.Duration.ofSeconds(30), set.forgetAfter());
        assertEquals(dev.lethe.schemas.crypto.LocalKeyWrapper.of("a-key-encryption-key-of-at-least-32-bytes"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).currentKekId(), set.kek().currentKekId());
        assertFalse(set.kek().currentKekId().equals(defaults.kek().currentKekId()));
        assertProblem("LETHE_FORGET_AFTER: must be an ISO-8601 duration", "LETHE_FORGET_AFTER", "7 days");
        assertProblem("LETHE_FORGET_AFTER: must not be negative", "LETHE_FORGET_AFTER", "-PT1S");
        assertProblem("LETHE_KEK:", "LETHE_KEK", "short");
    }

    @Test
    void shouldReadTheArchiveReleaseDelayAndGiveTheArchiveFollowerItsOwnFolder() {
        final LedgerConfig defaults = LedgerConfig.fromEnvironment(minimal());
        assertEquals(java.time.Duration.ofMinutes(10), defaults.archiveReleaseAfter());
        final Map<String, String> env = minimal();
        env.put("LETHE_ARCHIVE_RELEASE_AFTER", "PT15S");
        final LedgerConfig set = LedgerConfig.fromEnvironment(env);
        assertEquals(java.time.Duration.ofSeconds(15), set.archiveReleaseAfter());
        final dev.lethe.ledger.archive.ArchiveFollower.Settings archive = set.archiveFollower();
        assertEquals(set.applicationId() + "-archive", archive.clientId());
        assertEquals(java.nio.file.Path.of((String) set.streamsProperties().get(
                org.apache.kafka.streams.StreamsConfig.STATE_DIR_CONFIG)).resolve(set.applicationId() + "-archive"),
                archive.folder());
        assertProblem("LETHE_ARCHIVE_RELEASE_AFTER: must be an ISO-8601 duration", "LETHE_ARCHIVE_RELEASE_AFTER",
                "10 minutes");
        assertProblem("LETHE_ARCHIVE_RELEASE_AFTER: must be greater than zero", "LETHE_ARCHIVE_RELEASE_AFTER", "PT0S");
    }

    private static void assertProblem(String expectedStart, String variable, String value) {
        assertProblem(expectedStart, Map.of(variable, value));
    }

    private static void assertProblem(String expectedStart, Map<String, String> settings, String... removed) {
        final Map<String, String> env = minimal();
        env.putAll(settings);
        for (String name : removed) {
            env.remove(name);
        }
        final ConfigException e = assertThrows(ConfigException.class, () -> LedgerConfig.fromEnvironment(env));
        assertTrue(e.getMessage().startsWith(expectedStart), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertFalse(e.getMessage().contains(PSEUDONYM) || e.getMessage().contains(INTERNAL), e.getMessage());
    }
}
