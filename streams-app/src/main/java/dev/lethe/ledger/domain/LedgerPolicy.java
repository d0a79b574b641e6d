package dev.lethe.ledger.domain;

import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * The ledger's configurable rules: whether requests need a person's approval, and the statutory
 * period per jurisdiction (GDPR one calendar month, CCPA/CPRA 45 days, PIPA 10 days).
 */
public record LedgerPolicy(boolean manualApproval, Map<String, Period> deadlines, Period defaultDeadline,
                           int maxEarlyCallbacks) {

    public static final Map<String, Period> STATUTORY = Map.of(
            "GDPR", Period.ofMonths(1),
            "CCPA", Period.ofDays(45),
            "CPRA", Period.ofDays(45),
            "PIPA", Period.ofDays(10));

    public LedgerPolicy {
        deadlines = Map.copyOf(deadlines);
    }

    public static LedgerPolicy defaults() {
        return new LedgerPolicy(false, STATUTORY, Period.ofDays(30), 1_000);
    }

    public LedgerPolicy withManualApproval(boolean manual) {
        return new LedgerPolicy(manual, deadlines, defaultDeadline, maxEarlyCallbacks);
    }

    /** The deadline of a request received at {@code receivedAt} under {@code jurisdiction} (calendar arithmetic in UTC). */
    public Instant deadline(String jurisdiction, Instant receivedAt) {
        final Period period = deadlines.getOrDefault(jurisdiction, defaultDeadline);
        return receivedAt.atZone(ZoneOffset.UTC).plus(period).toInstant();
    }
}
