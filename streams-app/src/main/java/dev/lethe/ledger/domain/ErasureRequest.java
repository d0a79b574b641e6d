package dev.lethe.ledger.domain;

import java.time.Instant;
import java.util.List;

/**
 * A request as filed: who, which identifiers, under which law, why, from where.
 * {@code fingerprint} is the intake body's hash (for Idempotency-Key replays), or null;
 * {@code portal} the OpenDSR portal that filed it, or null.
 */
public record ErasureRequest(String requestId, Identifier subject, List<Identifier> identifiers, String jurisdiction,
                             String reason, String source, Scope scope, List<String> objects, int graceDays,
                             Instant requestedAt, String submittedBy, String fingerprint, Portal portal) {

    public ErasureRequest {
        identifiers = List.copyOf(identifiers);
        objects = List.copyOf(objects);
        scope = scope == null ? Scope.ALL : scope;
    }

    /** A request not filed by an OpenDSR portal. */
    public ErasureRequest(String requestId, Identifier subject, List<Identifier> identifiers, String jurisdiction,
                          String reason, String source, Scope scope, List<String> objects, int graceDays,
                          Instant requestedAt, String submittedBy, String fingerprint) {
        this(requestId, subject, identifiers, jurisdiction, reason, source, scope, objects, graceDays, requestedAt,
                submittedBy, fingerprint, null);
    }

    /** A request without an intake fingerprint. */
    public ErasureRequest(String requestId, Identifier subject, List<Identifier> identifiers, String jurisdiction,
                          String reason, String source, Scope scope, List<String> objects, int graceDays,
                          Instant requestedAt, String submittedBy) {
        this(requestId, subject, identifiers, jurisdiction, reason, source, scope, objects, graceDays, requestedAt,
                submittedBy, null);
    }
}
