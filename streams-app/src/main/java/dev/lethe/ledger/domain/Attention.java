package dev.lethe.ledger.domain;

/**
 * Why a request needs a person. A request with a reason is listed, counted, audited and notified
 * until an officer resolves it: {@link #UNROUTED} by routing it again or cancelling it with a
 * reason, {@link #CONTRADICTED} by acknowledging the contradiction.
 */
public enum Attention {
    /** No registered system held the request's namespaces when it was routed: nothing owes an erasure. */
    UNROUTED,
    /** A system contradicted the answer it had settled on; the first answer is kept. */
    CONTRADICTED
}
