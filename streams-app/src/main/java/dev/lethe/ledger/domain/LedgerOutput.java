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

    /** Wake the request at {@code at} (the end of its grace period) with a {@link LedgerEvent.Woken}. */
    record Wake(String requestId, Instant at) implements LedgerOutput {
    }

    /** The input could not be applied; it goes to the dead-letter topic with this reason. */
    record Refused(String reason) implements LedgerOutput {
    }
}
