package dev.lethe.ledger.executor;

import java.time.Instant;

/**
 * Thrown by an eraser that stops between two batches because its system's processing window
 * closed: the work done so far is committed, the rest waits. The {@link ExecutorLoop} pauses the
 * event's partition until {@link #opensAt()} and then runs the (idempotent) erasure again, which
 * picks up where it stopped.
 */
public final class WindowClosedException extends RuntimeException {

    private final Instant opensAt;

    public WindowClosedException(Instant opensAt) {
        super("the processing window is closed until " + opensAt, null, false, false);
        this.opensAt = opensAt;
    }

    public Instant opensAt() {
        return opensAt;
    }
}
