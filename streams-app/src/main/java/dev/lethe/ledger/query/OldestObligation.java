package dev.lethe.ledger.query;

import java.time.Instant;
import java.util.Comparator;
import java.util.Map;

/**
 * A system's oldest open obligation: since when it is owed (the request's filing, or the
 * sending of a replayed or covered obligation) and the request that owes it.
 */
public record OldestObligation(Instant since, String requestId) {

    private static final Comparator<OldestObligation> EARLIEST = Comparator.comparing(OldestObligation::since)
            .thenComparing(OldestObligation::requestId);

    /** Merges {@code part} (one instance's or partition's, may be null) into {@code into}: per system the earliest. */
    static void mergeInto(Map<String, OldestObligation> into, Map<String, OldestObligation> part) {
        if (part == null) {
            return; // an instance that does not keep the index yet (a rolling upgrade)
        }
        part.forEach((system, oldest) -> {
            if (oldest != null && oldest.since() != null && oldest.requestId() != null) {
                into.merge(system, oldest, (a, b) -> EARLIEST.compare(a, b) <= 0 ? a : b);
            }
        });
    }
}
