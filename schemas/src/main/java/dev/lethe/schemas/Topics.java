package dev.lethe.schemas;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Every topic Lethe reads or writes, by name, with its configuration. The input topics
 * ({@link #REQUESTS}, {@link #DECISIONS}, {@link #CALLBACKS}) are keyed by request id and must be
 * co-partitioned, so they share one partition count.
 */
public final class Topics {

    public static final String REQUESTS = "erasure.requests";
    public static final String DECISIONS = "erasure.decisions";
    public static final String CALLBACKS = "erasure.callbacks";
    public static final String SYSTEMS = "erasure.systems";
    public static final String EVENTS = "erasure.events";
    public static final String AUDIT = "erasure.audit";
    public static final String DATASET = "erasure.dataset";
    public static final String DLQ = "erasure.dlq";
    /**
     * The ledger's own feed of request status changes re-keyed by subject key (value
     * {@code SubjectEntry}), folded into the subject index that answers the re-ingestion guard
     * and duplicate detection. Holds pseudonyms and ids only.
     */
    public static final String SUBJECT_INDEX = "erasure.subject-index";
    /** Status changes, overdue requests and escalations, for the notification webhook (key: request id). */
    public static final String NOTIFICATIONS = "erasure.notifications";
    /**
     * The ledger's own feed of subject-gate verdicts (value {@code Admission}, key: request id),
     * written by the subject index and read back by the ledger: co-partitioned with the input
     * topics, so it shares their partition count. Holds pseudonyms and ids only.
     */
    public static final String ADMISSIONS = "erasure.admissions";
    /**
     * Request id to the request's wrapped data key ({@code DataKey}), compacted: written by the
     * ledger, read by the executors and the gateway to open sealed identifiers, tombstoned
     * {@code LETHE_FORGET_AFTER} after the request finished (crypto-shredding, docs/privacy.md).
     */
    public static final String KEYS = "erasure.keys";
    /**
     * The ledger's archive (issue 19): request id to a finished and forgotten request's last state
     * and whole audit trail (the ledger's own compact binary format, {@code ArchiveSerde}; no
     * identifier, no data key), compacted and kept with no time retention. Internal to the ledger like
     * a changelog, not a published contract: written by the ledger processor, read by every ledger
     * instance's archive follower.
     */
    public static final String ARCHIVE = "erasure.archive";

    private Topics() {
    }

    /** Partition count, replication and retentions for one deployment. */
    public record Settings(int partitions, short replicationFactor, int minInsyncReplicas,
                           Duration workRetention, Duration auditRetention, Duration dlqRetention) {

        /**
         * The work topics carry raw identifiers, so they keep them no longer than the longest
         * statutory deadline with its extensions (GDPR: one month plus two) and a margin: 120 days.
         * The audit trail, which holds no identifier, is kept ten years.
         */
        public static final Duration WORK_RETENTION = Duration.ofDays(120);
        public static final Duration AUDIT_RETENTION = Duration.ofDays(3650);
        public static final Duration DLQ_RETENTION = Duration.ofDays(120);
        /** How long a destroyed data key may still sit in {@code erasure.keys} before compaction removes it. */
        public static final Duration KEYS_COMPACTION_LAG = Duration.ofDays(1);
        /**
         * How long a tombstone stays on {@code erasure.archive} after compaction (a request that came back to the
         * ledger's task stores): an instance whose archive follower is down longer misses it and keeps the
         * request's older version in its copy (docs/operations.md).
         */
        public static final Duration ARCHIVE_TOMBSTONE_RETENTION = Duration.ofDays(30);

        public static Settings defaults(int partitions, short replicationFactor) {
            return new Settings(partitions, replicationFactor, Math.min(2, replicationFactor),
                    WORK_RETENTION, AUDIT_RETENTION, DLQ_RETENTION);
        }

        /** These settings with other retentions of the work topics (and the DLQ), e.g. from configuration. */
        public Settings withWorkRetention(Duration retention) {
            return new Settings(partitions, replicationFactor, minInsyncReplicas, retention, auditRetention,
                    retention);
        }
    }

    /** The specs of every Lethe topic for these settings. */
    public static List<TopicSpec> all(Settings settings) {
        final Map<String, String> work = retained(settings, settings.workRetention());
        final Map<String, String> compacted = Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(settings.minInsyncReplicas()));
        return List.of(
                spec(settings, REQUESTS, rolledHourly(work)),
                spec(settings, DECISIONS, work),
                spec(settings, CALLBACKS, work),
                spec(settings, SYSTEMS, compacted),
                spec(settings, EVENTS, work),
                spec(settings, AUDIT, retained(settings, settings.auditRetention())),
                spec(settings, DATASET, compacted),
                spec(settings, DLQ, retained(settings, settings.dlqRetention())),
                spec(settings, SUBJECT_INDEX, work),
                spec(settings, NOTIFICATIONS, work),
                spec(settings, ADMISSIONS, work),
                spec(settings, KEYS, keys(settings)),
                spec(settings, ARCHIVE, archive(compacted)));
    }

    /** Compacted, and its tombstones kept {@link Settings#ARCHIVE_TOMBSTONE_RETENTION}. */
    private static Map<String, String> archive(Map<String, String> compacted) {
        final Map<String, String> configs = new java.util.HashMap<>(compacted);
        configs.put(TopicConfig.DELETE_RETENTION_MS_CONFIG, Long.toString(Settings.ARCHIVE_TOMBSTONE_RETENTION.toMillis()));
        return Map.copyOf(configs);
    }

    private static TopicSpec spec(Settings settings, String name, Map<String, String> configs) {
        return new TopicSpec(name, settings.partitions(), settings.replicationFactor(), configs);
    }

    /**
     * Compacted so that a tombstone removes the key for good, soon: a record is compacted at most
     * {@link Settings#KEYS_COMPACTION_LAG} after it was written, a segment rolls every hour and a
     * tombstone itself is dropped an hour after compaction (docs/privacy.md states the bound).
     */
    private static Map<String, String> keys(Settings settings) {
        return Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG, Long.toString(Settings.KEYS_COMPACTION_LAG.toMillis()),
                TopicConfig.SEGMENT_MS_CONFIG, Long.toString(Duration.ofHours(1).toMillis()),
                TopicConfig.DELETE_RETENTION_MS_CONFIG, Long.toString(Duration.ofHours(1).toMillis()),
                TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.01",
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(settings.minInsyncReplicas()));
    }

    /**
     * {@code configs} with a segment rolled every hour: records the ledger deleted
     * ({@code deleteRecords}) are unreadable at once, and their bytes leave the broker's disk
     * when their whole segment falls below the log start offset, within about an hour.
     */
    private static Map<String, String> rolledHourly(Map<String, String> configs) {
        final Map<String, String> rolled = new java.util.HashMap<>(configs);
        rolled.put(TopicConfig.SEGMENT_MS_CONFIG, Long.toString(Duration.ofHours(1).toMillis()));
        return Map.copyOf(rolled);
    }

    private static Map<String, String> retained(Settings settings, Duration retention) {
        return Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()),
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(settings.minInsyncReplicas()));
    }
}
