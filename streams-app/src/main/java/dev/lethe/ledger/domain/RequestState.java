package dev.lethe.ledger.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything the ledger knows of one request. {@code status} is null while only callbacks have
 * arrived and the request itself has not. Once the request is finished, {@code subject},
 * {@code identifiers} and {@code objects} are empty: only the subject key, the identifier
 * namespaces, the per-system evidence, the intake {@code fingerprint} and the audit chain's
 * {@code auditHead} remain.
 *
 * <p>{@code deadline} is the current deadline; {@code baseDeadline} the one before any extension
 * and {@code extensions} how many were granted. {@code overdueAudited} says the breach of the
 * current deadline was audited (once; an extension clears it). {@code attention} says why the
 * request needs a person (empty when it does not). {@code duplicateOf} names the open request of
 * the same subject and scope that the subject gate found before this one (which then ended
 * CANCELLED without dispatching anything); null otherwise.
 */
public record RequestState(String requestId, RequestStatus status, String subjectKey, Identifier subject,
                           List<Identifier> identifiers, List<String> objects, List<String> namespaces,
                           String jurisdiction, String reason, String source, Scope scope, int graceDays,
                           Instant requestedAt, Instant deadline, Instant finishedAt, Instant updatedAt,
                           List<SystemTarget> systems, List<Callback> earlyCallbacks, int auditSeq,
                           String fingerprint, String auditHead, Instant baseDeadline, int extensions,
                           boolean overdueAudited, List<Attention> attention,
                           String duplicateOf) {

    public RequestState {
        identifiers = List.copyOf(identifiers);
        objects = List.copyOf(objects);
        namespaces = List.copyOf(namespaces);
        systems = List.copyOf(systems);
        earlyCallbacks = List.copyOf(earlyCallbacks);
        scope = scope == null ? Scope.ALL : scope;
        attention = attention == null ? List.of() : attention.stream().distinct().sorted().toList();
    }

    /** A state holding nothing but callbacks that arrived before their request. */
    public static RequestState awaiting(String requestId) {
        return new RequestState(requestId, null, null, null, List.of(), List.of(), List.of(), null, null, null,
                Scope.ALL, 0, null, null, null, null, List.of(), List.of(), 0, null, null, null, 0, false, List.of(),
                null);
    }

    /**
     * {@code waiting} (the callbacks kept so far and the audit chain) once the request itself
     * arrived at {@code at}: RECEIVED, with the request's fields and its {@code deadline}.
     */
    static RequestState received(RequestState waiting, ErasureRequest r, String subjectKey, List<String> namespaces,
                                 Instant deadline, Instant at) {
        return new RequestState(r.requestId(), RequestStatus.RECEIVED, subjectKey, r.subject(), r.identifiers(),
                r.objects(), namespaces, r.jurisdiction(), r.reason(), r.source(), r.scope(), r.graceDays(),
                r.requestedAt(), deadline, null, at, List.of(), waiting.earlyCallbacks(), waiting.auditSeq(),
                r.fingerprint(), waiting.auditHead(), null, 0, false, List.of(), null);
    }

    /** This state with {@code target} in place of the system of the same name. */
    RequestState replace(SystemTarget target, Instant at) {
        return withSystems(systems.stream().map(t -> t.name().equals(target.name()) ? target : t).toList(), at);
    }

    /** The request itself has arrived. */
    public boolean received() {
        return status != null;
    }

    public Optional<SystemTarget> system(String name) {
        return systems.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** When its grace period ends: {@code graceDays} calendar days (UTC) after it was requested. */
    public Instant graceEnds() {
        return requestedAt.atZone(java.time.ZoneOffset.UTC).plusDays(graceDays).toInstant();
    }

    /** Past its deadline and still unfinished. */
    public boolean overdue(Instant now) {
        return status != null && !status.finished() && deadline != null && now.isAfter(deadline);
    }

    /** This state with the hash of its latest audit fact (set by the processor, kept by every transition). */
    public RequestState withAuditHead(String head) {
        return new RequestState(requestId, status, subjectKey, subject, identifiers, objects, namespaces,
                jurisdiction, reason, source, scope, graceDays, requestedAt, deadline, finishedAt, updatedAt,
                systems, earlyCallbacks, auditSeq, fingerprint, head, baseDeadline, extensions, overdueAudited,
                attention, duplicateOf);
    }

    RequestState withStatus(RequestStatus newStatus, Instant at) {
        return new RequestState(requestId, newStatus, subjectKey, subject, identifiers, objects, namespaces,
                jurisdiction, reason, source, scope, graceDays, requestedAt, deadline, finishedAt, at, systems,
                earlyCallbacks, auditSeq, fingerprint, auditHead, baseDeadline, extensions, overdueAudited,
                attention, duplicateOf);
    }

    RequestState withSystems(List<SystemTarget> newSystems, Instant at) {
        return new RequestState(requestId, status, subjectKey, subject, identifiers, objects, namespaces,
                jurisdiction, reason, source, scope, graceDays, requestedAt, deadline, finishedAt, at, newSystems,
                earlyCallbacks, auditSeq, fingerprint, auditHead, baseDeadline, extensions, overdueAudited,
                attention, duplicateOf);
    }

    RequestState withEarlyCallbacks(List<Callback> callbacks) {
        return new RequestState(requestId, status, subjectKey, subject, identifiers, objects, namespaces,
                jurisdiction, reason, source, scope, graceDays, requestedAt, deadline, finishedAt, updatedAt,
                systems, callbacks, auditSeq, fingerprint, auditHead, baseDeadline, extensions, overdueAudited,
                attention, duplicateOf);
    }

    RequestState withAuditSeq(int seq) {
        return new RequestState(requestId, status, subjectKey, subject, identifiers, objects, namespaces,
                jurisdiction, reason, source, scope, graceDays, requestedAt, deadline, finishedAt, updatedAt,
                systems, earlyCallbacks, seq, fingerprint, auditHead, baseDeadline, extensions, overdueAudited,
                attention, duplicateOf);
    }

    /** The deadline moved to {@code newDeadline} by one more extension; its breach is not audited yet. */
    RequestState extended(Instant newDeadline, Instant at) {
        return new RequestState(requestId, status, subjectKey, subject, identifiers, objects, namespaces,
                jurisdiction, reason, source, scope, graceDays, requestedAt, newDeadline, finishedAt, at, systems,
                earlyCallbacks, auditSeq, fingerprint, auditHead, baseDeadline == null ? deadline : baseDeadline,
                extensions + 1, false, attention, duplicateOf);
    }

    /** The breach of the current deadline was audited. */
    RequestState withOverdueAudited() {
        return new RequestState(requestId, status, subjectKey, subject, identifiers, objects, namespaces,
                jurisdiction, reason, source, scope, graceDays, requestedAt, deadline, finishedAt, updatedAt,
                systems, earlyCallbacks, auditSeq, fingerprint, auditHead, baseDeadline, extensions, true,
                attention, duplicateOf);
    }

    /** Judged by the subject gate a duplicate of the open request {@code first}. */
    RequestState withDuplicateOf(String first) {
        return new RequestState(requestId, status, subjectKey, subject, identifiers, objects, namespaces,
                jurisdiction, reason, source, scope, graceDays, requestedAt, deadline, finishedAt, updatedAt,
                systems, earlyCallbacks, auditSeq, fingerprint, auditHead, baseDeadline, extensions, overdueAudited,
                attention, first);
    }

    /** Finished at {@code at}: raw identifiers are dropped, evidence is kept. */
    RequestState finish(RequestStatus finalStatus, Instant at) {
        return new RequestState(requestId, finalStatus, subjectKey, null, List.of(), List.of(), namespaces,
                jurisdiction, reason, source, scope, graceDays, requestedAt, deadline, at, at, systems,
                List.of(), auditSeq, fingerprint, auditHead, baseDeadline, extensions, overdueAudited,
                attention, duplicateOf);
    }

    /** Whether it waits for a person for {@code why}. */
    public boolean needs(Attention why) {
        return attention.contains(why);
    }

    /** This state with {@code why} added to (or, when {@code on} is false, removed from) its attention. */
    RequestState withAttention(Attention why, boolean on) {
        final List<Attention> next = new ArrayList<>(attention);
        next.remove(why);
        if (on) {
            next.add(why);
        }
        return new RequestState(requestId, status, subjectKey, subject, identifiers, objects, namespaces,
                jurisdiction, reason, source, scope, graceDays, requestedAt, deadline, finishedAt, updatedAt,
                systems, earlyCallbacks, auditSeq, fingerprint, auditHead, baseDeadline, extensions, overdueAudited,
                next, duplicateOf);
    }
}
