package dev.lethe.ledger.archive;

import dev.lethe.avro.AuditFact;
import dev.lethe.ledger.domain.RequestState;
import java.util.List;

/**
 * Read access to the ledger's archive: finished requests past {@code LETHE_FORGET_AFTER} (their
 * data key destroyed, no identifier left) whose state and audit trail were moved out of the
 * ledger's task stores, so that a restart after a crash restores only open and recently finished
 * requests. Every ledger instance keeps a whole copy, followed from the compacted archive topic.
 */
public interface ArchiveView {

    /** An archive that holds nothing (tests, tools that run no archive). */
    ArchiveView NONE = requestId -> null;

    /**
     * The archived request {@code requestId}, or null when the archive does not hold it.
     *
     * @throws org.apache.kafka.streams.errors.InvalidStateStoreException when this copy cannot be read
     *         now (not caught up yet, failed, closed): never answered as "not held"
     */
    Archived get(String requestId);

    /**
     * A request as the archive holds it: its last state and its whole audit trail, oldest fact
     * first (a valid hash chain ending at {@code state.auditHead()}).
     */
    record Archived(RequestState state, List<AuditFact> trail) {

        public Archived {
            trail = List.copyOf(trail);
        }
    }
}
