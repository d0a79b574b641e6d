package dev.lethe.ledger.topology;

import dev.lethe.avro.Admission;
import dev.lethe.avro.Admitted;
import dev.lethe.avro.DuplicateFiled;
import dev.lethe.avro.RequestStatus;
import dev.lethe.avro.Scope;
import dev.lethe.avro.SubjectEntry;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Set;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Folds the ledger's status changes, re-keyed by subject key on {@code erasure.subject-index},
 * into the {@code subjects} store: one entry per (subject, request), so a subject's requests are
 * one contiguous range. It answers the re-ingestion guard and duplicate detection. A request the
 * ledger released to its archive comes as a released entry and leaves the store (the archive copy
 * answers for it); one that comes back from the archive comes as a plain entry again.
 *
 * <p>It is also the <b>subject gate</b>. Every request of one subject passes here in one order,
 * whatever instant or gateway it was filed through, so this is where "which came first" is
 * decided. The first time it sees a request (its RECEIVED entry), it looks for another open request
 * of the subject with the same scope that is not itself a duplicate, and writes, keyed by request
 * id, to {@code erasure.admissions} in the same transaction as the entry: Admitted for the new
 * request, or DuplicateFiled for that first request. This store learns of a request's end one hop
 * after the ledger, so the first request's own ledger decides (see {@code Ledger}): still open, it
 * answers the new one DuplicateOf; ended meanwhile, Admitted.
 */
final class SubjectsProcessor extends ContextualProcessor<String, SubjectEntry, String, Admission> {

    private static final Set<RequestStatus> CLOSED = EnumSet.of(RequestStatus.COMPLETED,
            RequestStatus.COMPLETED_WITH_EXCEPTIONS, RequestStatus.REJECTED, RequestStatus.CANCELLED);
    private static final Comparator<SubjectEntry> EARLIEST = Comparator.comparing(SubjectEntry::getRequestedAt)
            .thenComparing(SubjectEntry::getRequestId);

    private KeyValueStore<String, SubjectEntry> subjects;

    @Override
    public void init(ProcessorContext<String, Admission> context) {
        super.init(context);
        subjects = context.getStateStore(LedgerNames.SUBJECTS_STORE);
    }

    @Override
    public void process(Record<String, SubjectEntry> record) {
        final SubjectEntry entry = record.value();
        if (entry == null) {
            return;
        }
        final String key = IndexKeys.subject(entry.getSubjectKey(), entry.getRequestId());
        if (entry.getReleased()) {
            // released to the archive, whose copy answers for it now: never judged, whatever its status
            subjects.delete(key);
            return;
        }
        if (entry.getStatus() == RequestStatus.RECEIVED && subjects.get(key) == null) {
            gate(entry, record.timestamp());
        }
        subjects.put(key, entry);
    }

    /** Judges a request seen for the first time; marks {@code entry} when it is a duplicate. */
    private void gate(SubjectEntry entry, long timestamp) {
        final SubjectEntry first = firstOpen(entry);
        if (first == null) {
            verdict(entry.getRequestId(), entry, new Admitted(), timestamp);
            return;
        }
        // The first request's ledger knows whether it is still open, and answers the new one itself.
        entry.setDuplicateOf(first.getRequestId());
        verdict(first.getRequestId(), entry, new DuplicateFiled(entry.getRequestId(), entry.getSource()), timestamp);
    }

    private void verdict(String requestId, SubjectEntry about, Object verdict, long timestamp) {
        final Admission admission = Admission.newBuilder().setRequestId(requestId)
                .setSubjectKey(about.getSubjectKey()).setAt(Instant.ofEpochMilli(timestamp)).setVerdict(verdict)
                .build();
        context().forward(new Record<>(requestId, admission, timestamp), LedgerNames.ADMISSIONS_SINK);
    }

    /** The earliest open request of the subject with {@code entry}'s scope that is not a duplicate, or null. */
    private SubjectEntry firstOpen(SubjectEntry entry) {
        SubjectEntry first = null;
        try (KeyValueIterator<String, SubjectEntry> it = subjects.range(IndexKeys.subjectFirst(entry.getSubjectKey()),
                IndexKeys.subjectLast(entry.getSubjectKey()))) {
            while (it.hasNext()) {
                final SubjectEntry other = it.next().value;
                if (!other.getRequestId().equals(entry.getRequestId()) && !CLOSED.contains(other.getStatus())
                        && other.getDuplicateOf() == null && sameScope(entry.getScope(), other.getScope())
                        && (first == null || EARLIEST.compare(other, first) < 0)) {
                    first = other;
                }
            }
        }
        return first;
    }

    /** Both unscoped, or the same systems and the same exclusions (as sets): the gateway's rule. */
    static boolean sameScope(Scope a, Scope b) {
        return systems(a).equals(systems(b)) && exclude(a).equals(exclude(b));
    }

    private static Set<String> systems(Scope scope) {
        return scope == null ? Set.of() : Set.copyOf(scope.getSystems());
    }

    private static Set<String> exclude(Scope scope) {
        return scope == null ? Set.of() : Set.copyOf(scope.getExclude());
    }
}
