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
    static final String NOTIFICATIONS_SINK = "notifications-sink";

    private LedgerNames() {
    }
}
