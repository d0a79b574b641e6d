package dev.lethe.ledger.domain;

/** Where one system is with one request. */
public enum SystemStatus {
    PENDING, DISPATCHED, IN_PROGRESS, DONE, NOT_FOUND, RETAINED, FAILED;

    /** The system has given its final answer: nothing of this request is left for it to do. */
    public boolean settled() {
        return this == DONE || this == NOT_FOUND || this == RETAINED;
    }
}
