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

    /** Send the request to one system again. */
    public record Retry(String system) implements Action {
    }

    /** Send the request again to every system of it that is FAILED. */
    public record RetryFailed(String note) implements Action {
    }

    /** Move the deadline by {@code days}, or by the jurisdiction's standard extension when null. */
    public record ExtendDeadline(String reason, Integer days) implements Action {
    }

    /** Another request for the same subject and scope was filed while this one is open. */
    public record DuplicateReceived(String source) implements Action {
    }

    /** An officer has looked at what the request was flagged for (a contradicting callback) and clears it. */
    public record Acknowledge(String reason) implements Action {
    }

    /**
     * A new obligation of a finished request for {@code system}: {@code cover} false, a system it
     * targeted that was restored from a backup (REPLAYED); true, a system registered after it
     * finished that holds its namespaces (COVERED). Sent the subject key, never identifiers.
     */
    public record Replay(String system, boolean cover, String note) implements Action {
    }

    /**
     * An OpenDSR processor's callback about {@code system} failed signature verification at the
     * gateway ({@code reason}; {@code bodySha256} of the refused body): audited, nothing changes.
     */
    public record CallbackRefused(String system, String reason, String bodySha256) implements Action {
    }
}
