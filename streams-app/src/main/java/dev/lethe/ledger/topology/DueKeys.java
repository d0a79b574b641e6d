package dev.lethe.ledger.topology;

import java.time.Instant;

/**
 * Keys of the {@code due} index store: {@code <epoch millis, 13 digits>/<request id>}, UTF-8, so
 * that everything due up to a time is one range scan from the start of the store.
 */
final class DueKeys {

    private DueKeys() {
    }

    static String of(Instant at, String requestId) {
        return String.format("%013d", at.toEpochMilli()) + '/' + requestId;
    }

    /** The first key of the store. */
    static String first() {
        return "";
    }

    /** Past every key due at or before {@code now}. */
    static String through(Instant now) {
        return String.format("%013d", now.toEpochMilli()) + "/\uffff";
    }
}
