package dev.lethe.gateway.ledger;

/**
 * A ledger instance in the same process as the gateway (the embedded default, {@code ./lethe}),
 * answering the reads of the intake and status paths without HTTP. Each read answers only what
 * that instance holds itself, as the same JSON its query endpoint writes; {@code null} means
 * "ask over HTTP" (a key owned elsewhere, a store not queryable now, the ledger not started yet).
 */
public interface LocalLedger {

    /** An answer: 200 with the JSON {@code body}, or 404 (no such request). */
    record Reply(int status, String body) {
    }

    /** The view of request {@code id} ({@code publicView}: without its internal fields), or null. */
    Reply request(String id, boolean publicView);

    /** What the ledger knows of a subject, as {@link LedgerClient#lookup} answers it, or null. */
    Reply subject(String namespace, String value);
}
