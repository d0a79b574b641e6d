package dev.lethe.ledger.query;

import dev.lethe.ledger.domain.RequestState;
import dev.lethe.ledger.domain.Scope;
import dev.lethe.ledger.domain.SystemTarget;
import java.time.Instant;
import java.util.List;

/**
 * A request as API.md's {@code GET /v1/erasures/{id}} shows it, plus what the gateway needs
 * internally: the scope (duplicate detection) and the intake fingerprint (Idempotency-Key
 * replays; the gateway does not pass it on). No raw identifiers. {@code attention} lists why it
 * needs a person (UNROUTED, CONTRADICTED; empty when nothing); a system is {@code overdue} once
 * its own deadline passed while it still owes an answer. {@code duplicateOf} is the open request
 * this one was judged a duplicate of by the subject gate (it then ended CANCELLED), or null.
 */
public record RequestView(String id, String status, String subjectKey, String jurisdiction, String reason,
                          String source, Instant requestedAt, Instant deadline, Instant finishedAt,
                          boolean overdue, List<String> attention, List<SystemView> systems, ScopeView scope,
                          String fingerprint, String duplicateOf) {

    /** The request's scope as filed; null when it reaches every matching system. */
    public record ScopeView(List<String> systems, List<String> exclude) {
    }

    /** One system's part. */
    public record SystemView(String name, String status, int attempts, Instant updatedAt, Long itemsErased,
                             String detail, String legalBasis, Instant deadline, boolean overdue) {
    }

    public static RequestView of(RequestState state, Instant now) {
        return new RequestView(state.requestId(), state.status().name(), state.subjectKey(), state.jurisdiction(),
                state.reason(), state.source(), state.requestedAt(), state.deadline(), state.finishedAt(),
                state.overdue(now), state.attention().stream().map(Enum::name).toList(),
                state.systems().stream().map(t -> system(t, now)).toList(), scope(state.scope()),
                state.fingerprint(), state.duplicateOf());
    }

    private static ScopeView scope(Scope scope) {
        return scope == null || Scope.ALL.equals(scope) ? null : new ScopeView(scope.systems(), scope.exclude());
    }

    private static SystemView system(SystemTarget t, Instant now) {
        return new SystemView(t.name(), t.status().name(), t.attempts(), t.updatedAt(), t.itemsErased(),
                t.detail(), t.legalBasis(), t.deadline(), t.overdue(now));
    }
}
