package dev.lethe.ledger.domain;

/** Where a request is in its lifecycle (ARCHITECTURE.md, "Request lifecycle"). */
public enum RequestStatus {
    RECEIVED, PENDING_APPROVAL, SCHEDULED, IN_PROGRESS, COMPLETED, COMPLETED_WITH_EXCEPTIONS, REJECTED, CANCELLED;

    /** No further transition is possible. */
    public boolean finished() {
        return this == COMPLETED || this == COMPLETED_WITH_EXCEPTIONS || this == REJECTED || this == CANCELLED;
    }

    /** Nothing has been sent to any system yet. */
    public boolean beforeDispatch() {
        return this == RECEIVED || this == PENDING_APPROVAL || this == SCHEDULED;
    }
}
