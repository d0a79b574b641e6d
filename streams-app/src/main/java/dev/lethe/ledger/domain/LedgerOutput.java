package dev.lethe.ledger.domain;

import java.time.Instant;
import java.util.List;

/** What a transition asks the world to learn: partners, the audit trail, the dataset, the DLQ. */
public sealed interface LedgerOutput {

    /** Ask {@code systems} to erase the subject: published on erasure.events. Carries raw identifiers. */
    record Dispatch(String eventId, String requestId, String subjectKey, List<String> systems, Identifier subject,
                    List<Identifier> identifiers, List<String> objects, String jurisdiction, Instant deadline,
                    boolean reminder, int attempt, Instant issuedAt) implements LedgerOutput {
    }

    /** One fact of the audit trail. Never carries raw identifiers. */
    record Audit(String requestId, int seq, Instant at, String type, String actor, String system, String detail,
                 String subjectKey, RequestStatus status) implements LedgerOutput {
    }

    /** A request finished: the subject's latest erasure, for the compacted dataset. */
    record Finished(String subjectKey, String requestId, RequestStatus status, String jurisdiction,
                    List<String> namespaces, Instant requestedAt, Instant finishedAt,
                    List<SystemTarget> systems) implements LedgerOutput {
    }

    /**
     * Wake the request at {@code at} with a {@link LedgerEvent.Woken}: the end of its grace period,
     * a system's next reminder, or just past its own or a system's deadline.
     */
    record Wake(String requestId, Instant at) implements LedgerOutput {
    }

    /**
     * Tell whoever watches (the notification webhook): {@code type} is {@link #STATUS_CHANGED},
     * {@link #OVERDUE}, {@link #ESCALATED}, {@link #SYSTEM_OVERDUE} (a system passed its own
     * deadline) or {@link #ATTENTION} (the request needs a person). Never carries raw identifiers.
     * {@code portal}: on a {@link #STATUS_CHANGED} of a request an OpenDSR portal filed, whom to
     * call back; null otherwise.
     */
    record Notify(String requestId, String type, RequestStatus status, RequestStatus previousStatus, String system,
                  String jurisdiction, Instant deadline, String detail, Instant at, Portal portal)
            implements LedgerOutput {
        public static final String STATUS_CHANGED = "STATUS_CHANGED";
        public static final String OVERDUE = "OVERDUE";
        public static final String ESCALATED = "ESCALATED";
        public static final String SYSTEM_OVERDUE = "SYSTEM_OVERDUE";
        public static final String ATTENTION = "ATTENTION";
    }

    /** The input could not be applied; it goes to the dead-letter topic with this reason. */
    record Refused(String reason) implements LedgerOutput {
    }

    /**
     * A verdict for another request of the same subject ({@code requestId}): the first request,
     * told that a later one was filed, answers whether that one is its duplicate.
     */
    record Judged(String requestId, String subjectKey, Verdict verdict) implements LedgerOutput {
    }
}
