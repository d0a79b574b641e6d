package dev.lethe.ledger.domain;

import java.util.Set;

/**
 * What the ledger needs to know of a registered system: routing (namespaces, jurisdictions) and
 * chasing (its own deadline in days, how often it is reminded, how many erasure events it gets
 * before it is FAILED). All of it is frozen into a request's {@link SystemTarget} at dispatch.
 */
public record SystemInfo(String name, Set<String> namespaces, Set<String> jurisdictions, boolean manual,
                         int slaDays, int reminderHours, int maxAttempts) {

    public static final int DEFAULT_SLA_DAYS = 30;
    public static final int DEFAULT_REMINDER_HOURS = 24;
    public static final int DEFAULT_MAX_ATTEMPTS = 5;

    public SystemInfo {
        namespaces = Set.copyOf(namespaces);
        jurisdictions = Set.copyOf(jurisdictions);
    }

    /** An event-mode system with the registration defaults. */
    public SystemInfo(String name, Set<String> namespaces, Set<String> jurisdictions) {
        this(name, namespaces, jurisdictions, false, DEFAULT_SLA_DAYS, DEFAULT_REMINDER_HOURS, DEFAULT_MAX_ATTEMPTS);
    }
}
