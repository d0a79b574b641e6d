package dev.lethe.ledger.topology;

import dev.lethe.avro.SubjectEntry;
import dev.lethe.ledger.domain.RequestState;

/** The subject index's entry of a request: what the ledger sends at a status change, and what a look-up shows of an archived one. */
public final class SubjectEntries {

    private SubjectEntries() {
    }

    /** The entry of {@code state} (which has a subject key and a status), not released. */
    public static SubjectEntry.Builder of(RequestState state) {
        return SubjectEntry.newBuilder()
                .setSubjectKey(state.subjectKey()).setRequestId(state.requestId())
                .setStatus(dev.lethe.avro.RequestStatus.valueOf(state.status().name()))
                .setRequestedAt(state.requestedAt()).setFinishedAt(state.finishedAt())
                .setScope(new dev.lethe.avro.Scope(state.scope().systems(), state.scope().exclude()))
                .setSource(state.source())
                .setDuplicateOf(state.duplicateOf());
    }
}
