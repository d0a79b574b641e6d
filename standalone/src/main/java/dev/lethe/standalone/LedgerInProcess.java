package dev.lethe.standalone;

import dev.lethe.gateway.ledger.LocalLedger;
import dev.lethe.ledger.LedgerApp;
import dev.lethe.ledger.query.InProcessReads;

/**
 * The gateway's {@link LocalLedger} over a ledger instance in the same process
 * ({@link LedgerApp#reads()}): the embedded default reads a request's view and a subject's look-up
 * without an HTTP exchange to its own query port.
 */
public final class LedgerInProcess implements LocalLedger {

    private final InProcessReads reads;

    public LedgerInProcess(LedgerApp ledger) {
        this(ledger.reads());
    }

    public LedgerInProcess(InProcessReads reads) {
        this.reads = reads;
    }

    @Override
    public Reply request(String id, boolean publicView) {
        return reply(reads.request(id, publicView));
    }

    @Override
    public Reply subject(String namespace, String value) {
        return reply(reads.subject(namespace, value));
    }

    private static Reply reply(InProcessReads.Answer answer) {
        return answer == null ? null : new Reply(answer.status(), answer.body());
    }
}
