package dev.lethe.ledger.topology;

/**
 * Every store and node name of the ledger topology. Changelog topics are named after stores and
 * committed offsets after source nodes, so renaming any of these breaks a running deployment.
 */
public final class LedgerNames {

    public static final String LEDGER_STORE = "ledger";
    public static final String SYSTEMS_STORE = "systems";
    public static final String AUDIT_STORE = "audit";
    public static final String DUE_STORE = "due";
    /** Request ids newest first: {@link IndexKeys#newestFirst} → request id. */
    public static final String BY_REQUESTED_STORE = "by-requested";
    /** Finished request ids, most recently finished first. */
    public static final String BY_FINISHED_STORE = "by-finished";
    /** Unfinished request ids by deadline, earliest first: the overdue ones are a range up to now. */
    public static final String OPEN_BY_DEADLINE_STORE = "open-by-deadline";
    /**
     * Every open obligation of a system (an unfinished request's unsettled target, or a replayed or
     * covered one of a finished request), oldest first per system: {@link IndexKeys#owed} → request
     * id, and {@code obligation|<request id>|<system>} → that key.
     */
    public static final String OWED_SINCE_STORE = "owed-since";
    /** Running counts per task: {@code status|<STATUS>} and {@code owed|<system>}. */
    public static final String STATS_STORE = "stats";
    /** The subject index: {@code <subject key>|<request id>} → {@code SubjectEntry}. */
    public static final String SUBJECTS_STORE = "subjects";
    /** Archives finished and forgotten requests on {@code erasure.archive}. */
    static final String ARCHIVE_SINK = "archive-sink";

    static final String REQUESTS_SOURCE = "requests-source";
    static final String DECISIONS_SOURCE = "decisions-source";
    static final String CALLBACKS_SOURCE = "callbacks-source";
    static final String SYSTEMS_SOURCE = "systems-source";
    static final String LEDGER_PROCESSOR = "ledger-processor";
    static final String SYSTEMS_PROCESSOR = "systems-processor";
    static final String EVENTS_SINK = "events-sink";
    static final String AUDIT_SINK = "audit-sink";
    static final String DATASET_SINK = "dataset-sink";
    static final String DLQ_SINK = "dlq-sink";
    /** Issues and destroys data keys on {@code erasure.keys}. */
    static final String KEYS_SINK = "keys-sink";
    static final String SUBJECT_INDEX_SINK = "subject-index-sink";
    static final String SUBJECT_INDEX_SOURCE = "subject-index-source";
    static final String SUBJECTS_PROCESSOR = "subjects-processor";
    static final String NOTIFICATIONS_SINK = "notifications-sink";
    /** Sinks that put an input record that landed on another partition back on its canonical one. */
    static final String REQUESTS_REROUTE_SINK = "requests-reroute-sink";
    static final String DECISIONS_REROUTE_SINK = "decisions-reroute-sink";
    static final String CALLBACKS_REROUTE_SINK = "callbacks-reroute-sink";
    /** Header on a re-routed input record: the partition it first landed on (decimal text). */
    public static final String REROUTED_FROM_HEADER = "lethe-rerouted-from";
    static final String ADMISSIONS_SINK = "admissions-sink";
    static final String ADMISSIONS_SOURCE = "admissions-source";
    /** The ledger's own verdicts for a later request of a subject (see {@code Ledger}'s DuplicateFiled). */
    static final String VERDICTS_SINK = "verdicts-sink";

    private LedgerNames() {
    }
}
