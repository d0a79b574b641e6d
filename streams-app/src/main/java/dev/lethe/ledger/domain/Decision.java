package dev.lethe.ledger.domain;

import java.time.Instant;

/** A person's or a policy's decision about a request. */
public record Decision(String eventId, String requestId, Instant at, String actor, Action action) {

    /** What was decided. */
    public sealed interface Action {
    }

    public record Approve(String note) implements Action {
    }

    public record Reject(String reason) implements Action {
    }

    public record Cancel(String reason) implements Action {
    }

    public record Retry(String system) implements Action {
    }
}
