package dev.lethe.ledger;

import dev.lethe.ledger.domain.LedgerPolicy;
import dev.lethe.ledger.notify.NotifierConfig;
import dev.lethe.ledger.notify.PortalCallbackConfig;
import dev.lethe.ledger.executor.ExecutorSettings;
import dev.lethe.ledger.topology.BoundedRocksDb;
import dev.lethe.schemas.SubjectKeys;
import dev.lethe.schemas.Topics;
import dev.lethe.schemas.config.ConfigException;
import dev.lethe.schemas.config.Env;
import dev.lethe.schemas.config.InternalToken;
import dev.lethe.schemas.config.Secret;
import dev.lethe.ledger.archive.ArchiveFollower;
import dev.lethe.ledger.archive.ArchiveView;
import dev.lethe.ledger.topology.Archiving;
import dev.lethe.ledger.topology.Privacy;
import dev.lethe.schemas.crypto.KekConfig;
import dev.lethe.schemas.crypto.KeyWrapper;
import dev.lethe.schemas.crypto.Sealing;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The streams-app's settings, read and checked at once from environment variables through
 * {@link Env} (a missing, blank or malformed value is a {@link ConfigException} naming the
 * variable), with the defaults documented in the README. The pseudonym secret comes from
 * {@code LETHE_PSEUDONYM_SECRET_FILE} (preferred) or {@code LETHE_PSEUDONYM_SECRET}, never from a
 * file in the repository; the internal secret that callers of the query endpoint must present,
 * from {@code LETHE_INTERNAL_TOKEN_FILE} or {@code LETHE_INTERNAL_TOKEN} ({@link InternalToken}).
 * The ledger's policy (approval, deadlines, extensions) is read by {@link PolicyConfig}, the
 * notification webhook's settings by {@link NotifierConfig} (absent when {@code LETHE_NOTIFY_URL}
 * is not set), the OpenDSR status callbacks to portals by {@link PortalCallbackConfig} (absent
 * when {@code LETHE_OPENDSR_PORTAL_HOSTS} is not set). The built-in executors' settings ({@code LETHE_EXECUTORS}, {@code LETHE_S3_*}) are
 * read by {@link ExecutorSettings}.
 * {@code LETHE_ROCKSDB_MEMORY_MB} (default 0: RocksDB's own defaults) bounds the off-heap memory
 * of all state stores together ({@link BoundedRocksDb}).
 */
public record LedgerConfig(String bootstrapServers, String schemaRegistryUrl, String applicationId, Path stateDir,
                           String advertisedHost, String queryBindAddress, int queryPort, int partitions, short replicationFactor,
                           Duration workRetention, int standbyReplicas, int streamThreads, Duration commitInterval,
                           Optional<Path> systemsFile, LedgerPolicy policy, Duration startTimeout,
                           Secret pseudonymSecret, Optional<NotifierConfig> notifier, ExecutorSettings executors,
                           int rocksDbMemoryMb, Secret internalToken, Optional<String> instanceId,
                           Duration sessionTimeout, Duration forgetAfter, KeyWrapper kek,
                           Duration requestsTrimInterval, Optional<PortalCallbackConfig> portalCallbacks,
                           Duration archiveReleaseAfter) {

    /** How long the restore and global consumers' fetches wait for data at a changelog's end (Kafka: 500 ms). */
    static final int RESTORE_FETCH_WAIT_MS = 100;

    /** How often the records of {@code erasure.requests} the ledger committed past are deleted (issue 12). */
    public static final Duration DEFAULT_REQUESTS_TRIM_INTERVAL = Duration.ofMinutes(1);

    /**
     * How long the group waits for a member that stopped heartbeating (a crashed instance) before
     * its tasks move to another instance: Kafka's default is 45 s; 6 s, the shortest a broker
     * accepts by default ({@code group.min.session.timeout.ms}), lets a standby take over within
     * the 10 s Lethe aims at. Heartbeats run on their own thread, every fifth of it.
     */
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(6);

    /** The shortest pseudonym secret accepted. */
    public static final int MIN_PSEUDONYM_SECRET_BYTES = 32;

    public static LedgerConfig fromEnvironment(Map<String, String> env) {
        return read(Env.of(env));
    }

    /** Every setting, read and checked before anything starts. */
    public static LedgerConfig read(Env env) {
        return new LedgerConfig(
                env.required("LETHE_BOOTSTRAP_SERVERS", "Kafka bootstrap servers, host:port[,host:port]"),
                env.requiredUrl("LETHE_SCHEMA_REGISTRY_URL", "the schema registry, e.g. http://registry:8081").toString(),
                env.string("LETHE_APPLICATION_ID", "lethe-ledger"),
                env.path("LETHE_STATE_DIR", "lethe-state"),
                env.string("LETHE_ADVERTISED_HOST", "localhost"),
                env.string("LETHE_QUERY_BIND", "0.0.0.0"),
                env.port("LETHE_QUERY_PORT", 8082, 1),
                env.integer("LETHE_PARTITIONS", 6, 1, 10_000),
                (short) env.integer("LETHE_REPLICATION_FACTOR", 3, 1, Short.MAX_VALUE),
                env.duration("LETHE_WORK_RETENTION_DAYS", ChronoUnit.DAYS, Topics.Settings.WORK_RETENTION.toDays(), 1),
                env.integer("LETHE_STANDBY_REPLICAS", 0, 0, 100),
                env.integer("LETHE_STREAM_THREADS", 1, 1, 1_000),
                env.duration("LETHE_COMMIT_INTERVAL_MS", ChronoUnit.MILLIS, 100, 0),
                env.readableFile("LETHE_SYSTEMS_FILE"),
                PolicyConfig.read(env),
                env.duration("LETHE_START_TIMEOUT_S", ChronoUnit.SECONDS, 120, 1),
                pseudonymSecret(env),
                NotifierConfig.read(env),
                ExecutorSettings.read(env),
                env.integer("LETHE_ROCKSDB_MEMORY_MB", 0, 0, 1_000_000),
                InternalToken.read(env),
                Optional.of(env.string("LETHE_INSTANCE_ID", "")).filter(id -> !id.isBlank()),
                env.duration("LETHE_SESSION_TIMEOUT_MS", ChronoUnit.MILLIS, DEFAULT_SESSION_TIMEOUT.toMillis(), 1_000),
                env.parsed("LETHE_FORGET_AFTER", Privacy.DEFAULT_FORGET_AFTER, LedgerConfig::isoDuration),
                KekConfig.readOrDerive(env, pseudonymSecret(env)),
                env.parsed("LETHE_REQUESTS_TRIM_INTERVAL", DEFAULT_REQUESTS_TRIM_INTERVAL, LedgerConfig::isoDuration),
                PortalCallbackConfig.read(env),
                env.parsed("LETHE_ARCHIVE_RELEASE_AFTER", Archiving.DEFAULT_RELEASE_AFTER, LedgerConfig::positiveIsoDuration));
    }

    private static Secret pseudonymSecret(Env env) {
        return env.requiredSecret("LETHE_PSEUDONYM_SECRET_FILE", "LETHE_PSEUDONYM_SECRET", MIN_PSEUDONYM_SECRET_BYTES,
                "the HMAC secret of subject keys, e.g. `openssl rand -hex 32`");
    }

    /** An ISO-8601 duration (P7D, PT1H, PT30S), not negative. */
    static Duration isoDuration(String text) {
        final Duration duration;
        try {
            duration = Duration.parse(text.strip());
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("must be an ISO-8601 duration such as P7D or PT1H, not " + text);
        }
        if (duration.isNegative()) {
            throw new IllegalArgumentException("must not be negative");
        }
        return duration;
    }

    /** An ISO-8601 duration greater than zero. */
    static Duration positiveIsoDuration(String text) {
        final Duration duration = isoDuration(text);
        if (duration.isZero()) {
            throw new IllegalArgumentException("must be greater than zero");
        }
        return duration;
    }

    /** How the ledger archives finished and forgotten requests, seen through {@code view} (this instance's copy). */
    public Archiving archiving(ArchiveView view) {
        return new Archiving(view, archiveReleaseAfter);
    }

    /**
     * Where the archive follower ({@link ArchiveFollower}) keeps this instance's copy of the archive:
     * {@code <state dir>/<application id>-archive}, beside the ledger's own folder (which Kafka
     * Streams and {@code CrashedTaskStores} manage; this one they never touch), and its client id.
     */
    public ArchiveFollower.Settings archiveFollower() {
        final String name = applicationId + ArchiveFollower.APPLICATION_ID_SUFFIX;
        return new ArchiveFollower.Settings(bootstrapServers, stateDir.toAbsolutePath().resolve(name), name);
    }

    /** How identifiers are sealed and when their data keys are destroyed. */
    public Privacy privacy() {
        return new Privacy(new Sealing(kek), forgetAfter);
    }

    public Topics.Settings topicSettings() {
        return Topics.Settings.defaults(partitions, replicationFactor).withWorkRetention(workRetention);
    }

    public SubjectKeys subjectKeys() {
        return SubjectKeys.ofSecret(pseudonymSecret.bytes());
    }

    /**
     * The instance's static group membership ({@code group.instance.id}): {@code LETHE_INSTANCE_ID},
     * else its advertised query address, which is unique per instance by construction. A member
     * that restarts under the same id gets its tasks back at once, without waiting for its old
     * session to time out and without a rebalance.
     */
    public String groupInstanceId() {
        return instanceId.orElse(applicationId + "-" + advertisedHost + "-" + queryPort);
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
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), groupInstanceId());
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), (int) sessionTimeout.toMillis());
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG),
                (int) Math.max(500, sessionTimeout.toMillis() / 5));
        props.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
        // A restore reads each changelog to its end, one task after another, and the global table each
        // partition of erasure.systems in turn: at Kafka's 500 ms the last fetch of each waited that long for
        // data that never comes (about 0.5 s per task and per partition of every start). With data to read a
        // fetch returns at once either way; idle, a standby or the global table polls a little more often.
        props.put(StreamsConfig.restoreConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), RESTORE_FETCH_WAIT_MS);
        props.put(StreamsConfig.globalConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), RESTORE_FETCH_WAIT_MS);
        if (rocksDbMemoryMb > 0) {
            props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDb.class);
            props.put(BoundedRocksDb.MEMORY_MB_CONFIG, rocksDbMemoryMb);
        }
        return props;
    }
}
