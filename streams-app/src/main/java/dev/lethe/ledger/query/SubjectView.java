package dev.lethe.ledger.query;

import dev.lethe.avro.RequestStatus;
import dev.lethe.avro.SubjectEntry;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the ledger knows about one subject (by pseudonym): whether an erasure of it completed and
 * when last, its requests newest first, and the open ones with their scope (duplicate detection;
 * a request the subject gate judged a duplicate is never one of them).
 */
public record SubjectView(String subjectKey, boolean erased, Instant lastErasedAt, List<String> requests,
                          List<OpenRequest> open) {

    private static final Set<RequestStatus> ERASED = EnumSet.of(RequestStatus.COMPLETED,
            RequestStatus.COMPLETED_WITH_EXCEPTIONS);
    private static final Set<RequestStatus> CLOSED = EnumSet.of(RequestStatus.COMPLETED,
            RequestStatus.COMPLETED_WITH_EXCEPTIONS, RequestStatus.REJECTED, RequestStatus.CANCELLED);

    /** An unfinished request of the subject. */
    public record OpenRequest(String id, String status, RequestView.ScopeView scope) {
    }

    public static SubjectView of(String subjectKey, List<SubjectEntry> entries) {
        final List<SubjectEntry> newestFirst = entries.stream()
                .sorted(Comparator.comparing(SubjectEntry::getRequestedAt).reversed()
                        .thenComparing(SubjectEntry::getRequestId)).toList();
        final Instant lastErased = newestFirst.stream().filter(e -> ERASED.contains(e.getStatus()))
                .map(SubjectEntry::getFinishedAt).filter(Objects::nonNull).max(Comparator.naturalOrder()).orElse(null);
        final boolean erased = newestFirst.stream().anyMatch(e -> ERASED.contains(e.getStatus()));
        final List<OpenRequest> open = newestFirst.stream()
                .filter(e -> !CLOSED.contains(e.getStatus()) && e.getDuplicateOf() == null)
                .map(e -> new OpenRequest(e.getRequestId(), e.getStatus().name(), scope(e))).toList();
        return new SubjectView(subjectKey, erased, lastErased,
                newestFirst.stream().map(SubjectEntry::getRequestId).toList(), open);
    }

    private static RequestView.ScopeView scope(SubjectEntry entry) {
        if (entry.getScope() == null
                || (entry.getScope().getSystems().isEmpty() && entry.getScope().getExclude().isEmpty())) {
            return null;
        }
        return new RequestView.ScopeView(entry.getScope().getSystems(), entry.getScope().getExclude());
    }
}
