package dev.lethe.chaos;

import java.util.List;

/**
 * One row of the table: a scenario's load, kills and the findings of its check. {@code passed}
 * is false when anything was lost, duplicated, wrong, or answered with an unexpected 5xx (or a
 * scenario-specific check failed: {@code notes} say which).
 */
public record Result(String scenario, String load, int kills, int acknowledged, int lost, int duplicated,
                     int wrongFinal, int badAudit, long idMismatches, long unexpected5xx, long unavailable503,
                     Long failoverP50Ms, Long failoverP99Ms, List<Long> failoversMs, boolean passed,
                     List<String> notes, long seconds) {

    /** The p-th percentile (nearest rank) of {@code values}, null when there are none. */
    static Long percentile(List<Long> values, double p) {
        if (values.isEmpty()) {
            return null;
        }
        final List<Long> sorted = values.stream().sorted().toList();
        final int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}
