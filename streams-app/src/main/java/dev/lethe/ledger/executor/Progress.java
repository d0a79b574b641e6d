package dev.lethe.ledger.executor;

/** Where an executor reports how far a long erasure has come; reports are advisory, not terminal. */
@FunctionalInterface
public interface Progress {

    Progress NONE = (items, detail) -> { };

    void report(long itemsSoFar, String detail);
}
