package dev.lethe.ledger;

import dev.lethe.ledger.domain.LedgerPolicy;
import dev.lethe.ledger.notify.NotifierConfig;
import dev.lethe.ledger.executor.ExecutorSettings;
import dev.lethe.ledger.topology.BoundedRocksDb;
import dev.lethe.schemas.SubjectKeys;
import dev.lethe.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The streams-app's settings, read from environment variables with the defaults documented in
 * the README. The pseudonym secret comes from {@code LETHE_PSEUDONYM_SECRET_FILE} (preferred) or
 * {@code LETHE_PSEUDONYM_SECRET}, never from a file in the repository. The ledger's policy
 * (approval, deadlines, extensions) is read by {@link PolicyConfig}, the notification webhook's
 * settings by {@link NotifierConfig} (absent when {@code LETHE_NOTIFY_URL} is not set).
 * The built-in executors' settings ({@code LETHE_EXECUTORS}, {@code LETHE_S3_*}) are read by
 * {@link ExecutorSettings}.
 * {@code LETHE_ROCKSDB_MEMORY_MB} (default 0: RocksDB's own defaults) bounds the off-heap memory
 * of all state stores together ({@link BoundedRocksDb}).
 */
public record LedgerConfig(String bootstrapServers, String schemaRegistryUrl, String applicationId, Path stateDir,
                           String advertisedHost, String queryBindAddress, int queryPort, int partitions, short replicationFactor,
                           Duration workRetention, int standbyReplicas, int streamThreads, Duration commitInterval,
                           Optional<Path> systemsFile, LedgerPolicy policy, Duration startTimeout,
                           Optional<Path> pseudonymSecretFile, Optional<String> pseudonymSecret,
                           Optional<NotifierConfig> notifier, ExecutorSettings executors,
                           int rocksDbMemoryMb) {

    public static LedgerConfig fromEnvironment(Map<String, String> env) {
        return new LedgerConfig(
                required(env, "LETHE_BOOTSTRAP_SERVERS"),
                required(env, "LETHE_SCHEMA_REGISTRY_URL"),
                env.getOrDefault("LETHE_APPLICATION_ID", "lethe-ledger"),
                Path.of(env.getOrDefault("LETHE_STATE_DIR", "lethe-state")),
                env.getOrDefault("LETHE_ADVERTISED_HOST", "localhost"),
                env.getOrDefault("LETHE_QUERY_BIND", "0.0.0.0"),
                Integer.parseInt(env.getOrDefault("LETHE_QUERY_PORT", "8082")),
                Integer.parseInt(env.getOrDefault("LETHE_PARTITIONS", "6")),
                Short.parseShort(env.getOrDefault("LETHE_REPLICATION_FACTOR", "3")),
                Duration.ofDays(Long.parseLong(env.getOrDefault("LETHE_WORK_RETENTION_DAYS",
                        Long.toString(Topics.Settings.WORK_RETENTION.toDays())))),
                Integer.parseInt(env.getOrDefault("LETHE_STANDBY_REPLICAS", "0")),
                Integer.parseInt(env.getOrDefault("LETHE_STREAM_THREADS", "1")),
                Duration.ofMillis(Long.parseLong(env.getOrDefault("LETHE_COMMIT_INTERVAL_MS", "100"))),
                Optional.ofNullable(env.get("LETHE_SYSTEMS_FILE")).filter(s -> !s.isBlank()).map(Path::of),
                PolicyConfig.fromEnvironment(env),
                Duration.ofSeconds(Long.parseLong(env.getOrDefault("LETHE_START_TIMEOUT_S", "120"))),
                Optional.ofNullable(env.get("LETHE_PSEUDONYM_SECRET_FILE")).filter(s -> !s.isBlank()).map(Path::of),
                Optional.ofNullable(env.get("LETHE_PSEUDONYM_SECRET")).filter(s -> !s.isBlank()),
                NotifierConfig.fromEnvironment(env),
                ExecutorSettings.fromEnvironment(env),
                Integer.parseInt(env.getOrDefault("LETHE_ROCKSDB_MEMORY_MB", "0")));
    }

    private static String required(Map<String, String> env, String name) {
        final String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must be set");
        }
        return value;
    }

    public Topics.Settings topicSettings() {
        return Topics.Settings.defaults(partitions, replicationFactor).withWorkRetention(workRetention);
    }

    public SubjectKeys subjectKeys() {
        return pseudonymSecretFile.map(SubjectKeys::fromFile)
                .or(() -> pseudonymSecret.map(s -> SubjectKeys.ofSecret(s.getBytes(StandardCharsets.UTF_8))))
                .orElseThrow(() -> new IllegalArgumentException(
                        "set LETHE_PSEUDONYM_SECRET_FILE (or LETHE_PSEUDONYM_SECRET) to the subject-key secret"));
    }

    /** The Kafka Streams properties of the ledger. */
    public Properties streamsProperties() {
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, advertisedHost + ":" + queryPort);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replicationFactor);
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, standbyReplicas);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        props.put(StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG),
                Integer.toString(topicSettings().minInsyncReplicas()));
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        props.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
        if (rocksDbMemoryMb > 0) {
            props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDb.class);
            props.put(BoundedRocksDb.MEMORY_MB_CONFIG, rocksDbMemoryMb);
        }
        return props;
    }
}
