package dev.lethe.ledger.domain;

import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * The ledger's configurable rules: which requests need a person's approval ({@link ApprovalPolicy}),
 * the statutory period per jurisdiction (GDPR one calendar month, CCPA/CPRA 45 days, PIPA 10
 * days; {@code defaultDeadline} for any other), and how far each jurisdiction's deadline may be
 * extended (GDPR by two further months, CCPA/CPRA once by 45 days, PIPA not at all).
 */
public record LedgerPolicy(ApprovalPolicy approval, Map<String, Period> deadlines, Period defaultDeadline,
                           Map<String, Extension> extensions, int maxEarlyCallbacks) {

    public static final Map<String, Period> STATUTORY = Map.of(
            "GDPR", Period.ofMonths(1),
            "CCPA", Period.ofDays(45),
            "CPRA", Period.ofDays(45),
            "PIPA", Period.ofDays(10));

    public static final Map<String, Extension> STATUTORY_EXTENSIONS = Map.of(
            "GDPR", new Extension(Period.ofMonths(2), Period.ofMonths(2)),
            "CCPA", new Extension(Period.ofDays(45), Period.ofDays(45)),
            "CPRA", new Extension(Period.ofDays(45), Period.ofDays(45)));

    /**
     * How a jurisdiction's deadline may move: by {@code standard} when no length is asked for, and
     * never further than {@code maximum} past the original deadline in total.
     */
    public record Extension(Period standard, Period maximum) {
    }

    public LedgerPolicy {
        deadlines = Map.copyOf(deadlines);
        extensions = Map.copyOf(extensions);
    }

    public static LedgerPolicy defaults() {
        return new LedgerPolicy(ApprovalPolicy.AUTO, STATUTORY, Period.ofDays(30), STATUTORY_EXTENSIONS, 1_000);
    }

    /** Every request manual ({@code true}) or every request automatic. */
    public LedgerPolicy withManualApproval(boolean manual) {
        return withApproval(manual ? ApprovalPolicy.MANUAL : ApprovalPolicy.AUTO);
    }

    public LedgerPolicy withApproval(ApprovalPolicy newApproval) {
        return new LedgerPolicy(newApproval, deadlines, defaultDeadline, extensions, maxEarlyCallbacks);
    }

    /** The deadline of a request received at {@code receivedAt} under {@code jurisdiction} (calendar arithmetic in UTC). */
    public Instant deadline(String jurisdiction, Instant receivedAt) {
        return plus(receivedAt, deadlines.getOrDefault(jurisdiction, defaultDeadline));
    }

    /** {@code at} moved by {@code period} in calendar arithmetic (UTC). */
    static Instant plus(Instant at, Period period) {
        return at.atZone(ZoneOffset.UTC).plus(period).toInstant();
    }
}
