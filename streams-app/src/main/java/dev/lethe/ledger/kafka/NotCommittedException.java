package dev.lethe.ledger.kafka;

/**
 * A {@link Committer} wrote neither the output nor the offsets (e.g. an aborted transaction, a
 * commit refused during a rebalance); the loop goes back to the last committed offsets.
 */
public final class NotCommittedException extends RuntimeException {

    public NotCommittedException(String message, Throwable cause) {
        super(message, cause);
    }
}
