package dev.lethe.ledger.domain;

import java.time.Instant;
import java.time.ZoneOffset;
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
 * CANCELLED without dispatching anything); null otherwise. {@code portal} is the OpenDSR portal
 * that filed it (whom to call back when its OpenDSR status changes), or null; it is kept after the
 * request finished, as it names no subject.
 *
 * <p>Every change goes through {@link #toBuilder()}: a wither names only what it changes.
 */
public record RequestState(String requestId, RequestStatus status, String subjectKey, Identifier subject,
                           List<Identifier> identifiers, List<String> objects, List<String> namespaces,
                           String jurisdiction, String reason, String source, Scope scope, int graceDays,
                           Instant requestedAt, Instant deadline, Instant finishedAt, Instant updatedAt,
                           List<SystemTarget> systems, List<Callback> earlyCallbacks, int auditSeq,
                           String fingerprint, String auditHead, Instant baseDeadline, int extensions,
                           boolean overdueAudited, List<Attention> attention,
                           String duplicateOf, WrappedKey dataKey, Portal portal) {

    /** A state of a request no OpenDSR portal filed (as stored before issue 16's callbacks). */
    public RequestState(String requestId, RequestStatus status, String subjectKey, Identifier subject,
                        List<Identifier> identifiers, List<String> objects, List<String> namespaces,
                        String jurisdiction, String reason, String source, Scope scope, int graceDays,
                        Instant requestedAt, Instant deadline, Instant finishedAt, Instant updatedAt,
                        List<SystemTarget> systems, List<Callback> earlyCallbacks, int auditSeq,
                        String fingerprint, String auditHead, Instant baseDeadline, int extensions,
                        boolean overdueAudited, List<Attention> attention, String duplicateOf, WrappedKey dataKey) {
        this(requestId, status, subjectKey, subject, identifiers, objects, namespaces, jurisdiction, reason, source,
                scope, graceDays, requestedAt, deadline, finishedAt, updatedAt, systems, earlyCallbacks, auditSeq,
                fingerprint, auditHead, baseDeadline, extensions, overdueAudited, attention, duplicateOf, dataKey,
                null);
    }

    /** A state without a data key (as stored before issue 12, or by tests). */
    public RequestState(String requestId, RequestStatus status, String subjectKey, Identifier subject,
                        List<Identifier> identifiers, List<String> objects, List<String> namespaces,
                        String jurisdiction, String reason, String source, Scope scope, int graceDays,
                        Instant requestedAt, Instant deadline, Instant finishedAt, Instant updatedAt,
                        List<SystemTarget> systems, List<Callback> earlyCallbacks, int auditSeq,
                        String fingerprint, String auditHead, Instant baseDeadline, int extensions,
                        boolean overdueAudited, List<Attention> attention, String duplicateOf) {
        this(requestId, status, subjectKey, subject, identifiers, objects, namespaces, jurisdiction, reason, source,
                scope, graceDays, requestedAt, deadline, finishedAt, updatedAt, systems, earlyCallbacks, auditSeq,
                fingerprint, auditHead, baseDeadline, extensions, overdueAudited, attention, duplicateOf, null);
    }

    public RequestState {
        identifiers = List.copyOf(identifiers);
        objects = List.copyOf(objects);
        namespaces = List.copyOf(namespaces);
        systems = List.copyOf(systems);
        earlyCallbacks = List.copyOf(earlyCallbacks);
        scope = scope == null ? Scope.ALL : scope;
        attention = attention == null || attention.isEmpty() ? List.of()
                : attention.stream().distinct().sorted().toList();
    }

    /** A state holding nothing but callbacks that arrived before their request. */
    public static RequestState awaiting(String requestId) {
        return new Builder(requestId).build();
    }

    /**
     * {@code waiting} (the callbacks kept so far and the audit chain) once the request itself
     * arrived at {@code at}: RECEIVED, with the request's fields and its {@code deadline}.
     */
    static RequestState received(RequestState waiting, ErasureRequest r, String subjectKey, List<String> namespaces,
                                 Instant deadline, Instant at) {
        final Builder b = waiting.toBuilder();
        b.status = RequestStatus.RECEIVED;
        b.subjectKey = subjectKey;
        b.subject = r.subject();
        b.identifiers = r.identifiers();
        b.objects = r.objects();
        b.namespaces = namespaces;
        b.jurisdiction = r.jurisdiction();
        b.reason = r.reason();
        b.source = r.source();
        b.scope = r.scope();
        b.graceDays = r.graceDays();
        b.requestedAt = r.requestedAt();
        b.deadline = deadline;
        b.updatedAt = at;
        b.fingerprint = r.fingerprint();
        b.portal = r.portal();
        return b.build();
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
        return requestedAt.atZone(ZoneOffset.UTC).plusDays(graceDays).toInstant();
    }

    /** Past its deadline and still unfinished. */
    public boolean overdue(Instant now) {
        return status != null && !status.finished() && deadline != null && now.isAfter(deadline);
    }

    /** Whether it waits for a person for {@code why}. */
    public boolean needs(Attention why) {
        return attention.contains(why);
    }

    /** A builder holding this state's fields, to change some of them. */
    Builder toBuilder() {
        return new Builder(this);
    }

    /** This state with the hash of its latest audit fact (set by the processor, kept by every transition). */
    public RequestState withAuditHead(String head) {
        final Builder b = toBuilder();
        b.auditHead = head;
        return b.build();
    }

    RequestState withStatus(RequestStatus newStatus, Instant at) {
        final Builder b = toBuilder();
        b.status = newStatus;
        b.updatedAt = at;
        return b.build();
    }

    RequestState withSystems(List<SystemTarget> newSystems, Instant at) {
        final Builder b = toBuilder();
        b.systems = newSystems;
        b.updatedAt = at;
        return b.build();
    }

    /** This state with {@code target} in place of the system of the same name. */
    RequestState replace(SystemTarget target, Instant at) {
        return withSystems(systems.stream().map(t -> t.name().equals(target.name()) ? target : t).toList(), at);
    }

    RequestState withEarlyCallbacks(List<Callback> callbacks) {
        final Builder b = toBuilder();
        b.earlyCallbacks = callbacks;
        return b.build();
    }

    RequestState withAuditSeq(int seq) {
        final Builder b = toBuilder();
        b.auditSeq = seq;
        return b.build();
    }

    /** The deadline moved to {@code newDeadline} by one more extension; its breach is not audited yet. */
    RequestState extended(Instant newDeadline, Instant at) {
        final Builder b = toBuilder();
        b.baseDeadline = baseDeadline == null ? deadline : baseDeadline;
        b.deadline = newDeadline;
        b.extensions = extensions + 1;
        b.overdueAudited = false;
        b.updatedAt = at;
        return b.build();
    }

    /** The breach of the current deadline was audited. */
    RequestState withOverdueAudited() {
        final Builder b = toBuilder();
        b.overdueAudited = true;
        return b.build();
    }

    /** Judged by the subject gate a duplicate of the open request {@code first}. */
    RequestState withDuplicateOf(String first) {
        final Builder b = toBuilder();
        b.duplicateOf = first;
        return b.build();
    }

    /** Finished at {@code at}: raw identifiers (and callbacks still kept) are dropped, evidence is kept. */
    RequestState finish(RequestStatus finalStatus, Instant at) {
        final Builder b = toBuilder();
        b.status = finalStatus;
        b.subject = null;
        b.identifiers = List.of();
        b.objects = List.of();
        b.earlyCallbacks = List.of();
        b.finishedAt = at;
        b.updatedAt = at;
        return b.build();
    }

    /**
     * This state with its data key {@code key} (set by the processor when the request arrives), or
     * without one (null: destroyed, {@code LETHE_FORGET_AFTER} after the request finished).
     */
    public RequestState withDataKey(WrappedKey key) {
        final Builder b = toBuilder();
        b.dataKey = key;
        return b.build();
    }

    /**
     * This state forgotten ({@code LETHE_FORGET_AFTER} after the request finished): without its data
     * key and without the intake fingerprint, an unkeyed hash of what was filed (identifiers
     * included) against which candidate identifiers could be tried.
     */
    public RequestState forgotten() {
        final Builder b = toBuilder();
        b.dataKey = null;
        b.fingerprint = null;
        return b.build();
    }

    /** Whether it still holds raw identifier values (which the stored form seals under its data key). */
    public boolean holdsIdentifiers() {
        return subject != null || !identifiers.isEmpty() || !objects.isEmpty();
    }

    /** This state with {@code why} added to (or, when {@code on} is false, removed from) its attention. */
    RequestState withAttention(Attention why, boolean on) {
        final List<Attention> next = new ArrayList<>(attention);
        next.remove(why);
        if (on) {
            next.add(why);
        }
        final Builder b = toBuilder();
        b.attention = next;
        return b.build();
    }

    /** The fields of a state under change; {@link #build()} checks and copies them as the record does. */
    static final class Builder {
        String requestId;
        RequestStatus status;
        String subjectKey;
        Identifier subject;
        List<Identifier> identifiers = List.of();
        List<String> objects = List.of();
        List<String> namespaces = List.of();
        String jurisdiction;
        String reason;
        String source;
        Scope scope = Scope.ALL;
        int graceDays;
        Instant requestedAt;
        Instant deadline;
        Instant finishedAt;
        Instant updatedAt;
        List<SystemTarget> systems = List.of();
        List<Callback> earlyCallbacks = List.of();
        int auditSeq;
        String fingerprint;
        String auditHead;
        Instant baseDeadline;
        int extensions;
        boolean overdueAudited;
        List<Attention> attention = List.of();
        String duplicateOf;
        WrappedKey dataKey;
        Portal portal;

        Builder(String requestId) {
            this.requestId = requestId;
        }

        private Builder(RequestState s) {
            requestId = s.requestId;
            status = s.status;
            subjectKey = s.subjectKey;
            subject = s.subject;
            identifiers = s.identifiers;
            objects = s.objects;
            namespaces = s.namespaces;
            jurisdiction = s.jurisdiction;
            reason = s.reason;
            source = s.source;
            scope = s.scope;
            graceDays = s.graceDays;
            requestedAt = s.requestedAt;
            deadline = s.deadline;
            finishedAt = s.finishedAt;
            updatedAt = s.updatedAt;
            systems = s.systems;
            earlyCallbacks = s.earlyCallbacks;
            auditSeq = s.auditSeq;
            fingerprint = s.fingerprint;
            auditHead = s.auditHead;
            baseDeadline = s.baseDeadline;
            extensions = s.extensions;
            overdueAudited = s.overdueAudited;
            attention = s.attention;
            duplicateOf = s.duplicateOf;
            dataKey = s.dataKey;
            portal = s.portal;
        }

        RequestState build() {
            return new RequestState(requestId, status, subjectKey, subject, identifiers, objects, namespaces,
                    jurisdiction, reason, source, scope, graceDays, requestedAt, deadline, finishedAt, updatedAt,
                    systems, earlyCallbacks, auditSeq, fingerprint, auditHead, baseDeadline, extensions,
                    overdueAudited, attention, duplicateOf, dataKey, portal);
        }
    }
}
