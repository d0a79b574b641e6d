package dev.lethe.ledger.query;

import dev.lethe.avro.AuditFact;
import java.time.Instant;

/** One fact of a request's audit trail as API.md's {@code GET /v1/erasures/{id}/audit} shows it. */
public record AuditView(int seq, Instant at, String type, String actor, String system, String detail,
                        String status, String prevHash, String hash) {

    public static AuditView of(AuditFact fact) {
        return new AuditView(fact.getSeq(), fact.getAt(), fact.getType(), fact.getActor(), fact.getSystem(),
                fact.getDetail(), fact.getStatus() == null ? null : fact.getStatus().name(), fact.getPrevHash(),
                fact.getHash());
    }
}
