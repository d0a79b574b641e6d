package dev.lethe.gateway.events;

/**
 * The outcome of one write of several ({@link EventWriter#writeAll}): where it was durably written,
 * or why it was not (then {@code written} is null and nothing may be reported as accepted).
 */
public record WriteOutcome(Written written, WriteFailedException failure) {

    public static WriteOutcome of(Written written) {
        return new WriteOutcome(written, null);
    }

    public static WriteOutcome failed(WriteFailedException failure) {
        return new WriteOutcome(null, failure);
    }

    public boolean ok() {
        return failure == null;
    }
}
