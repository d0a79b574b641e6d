package dev.lethe.ledger.query;

import dev.lethe.avro.AuditFact;
import dev.lethe.ledger.domain.RequestState;
import dev.lethe.ledger.domain.SystemTarget;
import dev.lethe.ledger.topology.AuditChain;
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

    /** One system's outcome with the actors whose facts concern it. */
    public record SystemOutcome(String name, String status, int attempts, Instant updatedAt, Long itemsErased,
                                String detail, String legalBasis, List<String> actors) {
    }

    /**
     * The trail behind the certificate: how many facts, the hash of the last one, and whether the
     * chain verified ({@code problem} says where it breaks when not).
     */
    public record AuditSummary(int facts, String head, boolean verified, String problem, String algorithm) {
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
        return new SystemOutcome(system.name(), system.status().name(), system.attempts(), system.updatedAt(),
                system.itemsErased(), system.detail(), system.legalBasis(), actors);
    }
}
