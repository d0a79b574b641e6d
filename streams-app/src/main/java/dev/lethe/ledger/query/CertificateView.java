package dev.lethe.ledger.query;

import dev.lethe.avro.AuditFact;
import dev.lethe.ledger.domain.RequestState;
import dev.lethe.ledger.domain.RequestStatus;
import dev.lethe.ledger.domain.SystemTarget;
import dev.lethe.ledger.topology.AuditChain;
import dev.lethe.schemas.opendsr.Evidence;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The certificate of erasure of a finished request: what was asked, every system's outcome with
 * its evidence, timestamps and the actors who reported it, and the head of the request's audit
 * hash chain, checked when the certificate is issued. No raw identifiers: the subject appears
 * only as its pseudonym.
 */
public record CertificateView(String requestId, String status, String subjectKey, String jurisdiction,
                              String reason, String source, Instant requestedAt, Instant deadline,
                              Instant finishedAt, List<SystemOutcome> systems, AuditSummary audit,
                              Instant issuedAt, String issuer) {

    /**
     * One system's outcome with the actors whose facts concern it and, for a system that signs its
     * answers (an OpenDSR processor), the signed evidence of its trail in order: receipt, statuses.
     */
    public record SystemOutcome(String name, String status, int attempts, Instant updatedAt, Long itemsErased,
                                String detail, String legalBasis, List<String> actors, List<String> signedEvidence) {
    }

    /**
     * The trail behind the certificate: how many facts, the hash of the last one, and whether the
     * chain verified ({@code problem} says where it breaks when not).
     */
    public record AuditSummary(int facts, String head, boolean verified, String problem, String algorithm) {
    }

    /** Why no certificate is issued: a machine code and a message for a person. */
    public record Refusal(String error, String message) {
    }

    /**
     * Why {@code state} gets no certificate, or null when it does: only a COMPLETED or
     * COMPLETED_WITH_EXCEPTIONS request that some system answered and that needs no person is
     * certified. A cancelled or rejected request erased nothing; an unfinished one (an unrouted
     * one included) has not erased yet; one completed with no system (stored by an earlier version)
     * erased nothing; a contradicted one waits until an officer acknowledges the contradiction.
     */
    public static Refusal refusal(RequestState state) {
        final RequestStatus status = state.status();
        if (status != RequestStatus.COMPLETED && status != RequestStatus.COMPLETED_WITH_EXCEPTIONS) {
            return new Refusal("not_finished", "request " + state.requestId() + " is " + status
                    + (state.attention().isEmpty() ? "" : " and needs a person (" + names(state) + ")")
                    + "; a certificate of erasure is issued only once it has COMPLETED");
        }
        if (state.systems().isEmpty()) {
            // finished with no system (only before unrouted requests stayed open): nothing was erased anywhere
            return new Refusal("not_erased", "request " + state.requestId() + " was routed to no system, so "
                    + "nothing was erased; no certificate of erasure is issued");
        }
        if (!state.attention().isEmpty()) {
            return new Refusal("needs_attention", "request " + state.requestId() + " is " + status
                    + " but needs a person (" + names(state) + "); a certificate is issued once an officer has "
                    + "acknowledged it");
        }
        return null;
    }

    private static String names(RequestState state) {
        return String.join(", ", state.attention().stream().map(Enum::name).toList());
    }

    public static CertificateView of(RequestState state, List<AuditFact> trail, Instant now) {
        final String problem = AuditChain.verify(trail);
        final String head = trail.isEmpty() ? null : trail.get(trail.size() - 1).getHash();
        final List<SystemOutcome> systems = state.systems().stream().map(system -> outcome(system, trail)).toList();
        return new CertificateView(state.requestId(), state.status().name(), state.subjectKey(), state.jurisdiction(),
                state.reason(), state.source(), state.requestedAt(), state.deadline(), state.finishedAt(), systems,
                new AuditSummary(trail.size(), head, problem == null, problem, "SHA-256 chain, see AuditChain"),
                now, "lethe");
    }

    private static SystemOutcome outcome(SystemTarget system, List<AuditFact> trail) {
        final List<String> actors = trail.stream().filter(fact -> Objects.equals(system.name(), fact.getSystem()))
                .map(AuditFact::getActor).distinct().toList();
        final List<String> signed = trail.stream().filter(fact -> Objects.equals(system.name(), fact.getSystem()))
                .map(AuditFact::getDetail).filter(Objects::nonNull).filter(d -> d.contains(Evidence.PREFIX))
                .map(d -> d.substring(d.indexOf(Evidence.PREFIX))).distinct().toList();
        return new SystemOutcome(system.name(), system.status().name(), system.attempts(), system.updatedAt(),
                system.itemsErased(), system.detail(), system.legalBasis(), actors, signed);
    }
}
