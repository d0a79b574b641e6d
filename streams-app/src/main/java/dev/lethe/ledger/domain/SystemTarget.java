package dev.lethe.ledger.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * One system's obligation within one request, frozen at dispatch together with how it is
 * chased: its own {@code deadline} (dispatch + slaDays), when it is next reminded
 * ({@code nextReminderAt}, null when it is not chased), how many erasure events it was
 * {@code sent} since its last (re)dispatch, and the registration's {@code reminderHours} and
 * {@code maxAttempts}. {@code attempts} counts every erasure event it was ever sent.
 */
public record SystemTarget(String name, SystemStatus status, int attempts, Instant updatedAt,
                           Long itemsErased, String detail, String legalBasis, Instant deadline,
                           Instant nextReminderAt, int sent, int reminderHours, int maxAttempts, boolean manual) {

    /** A target that is not chased (no deadline of its own, no reminders). */
    public SystemTarget(String name, SystemStatus status, int attempts, Instant updatedAt, Long itemsErased,
                        String detail, String legalBasis) {
        this(name, status, attempts, updatedAt, itemsErased, detail, legalBasis, null, null, 0, 0, 0, false);
    }

    /** Freshly dispatched to {@code system} at {@code now}: one event sent, reminded after its reminderHours. */
    static SystemTarget dispatched(SystemInfo system, Instant now) {
        return new SystemTarget(system.name(), SystemStatus.DISPATCHED, 1, now, null, null, null,
                now.plus(Duration.ofDays(Math.max(0, system.slaDays()))),
                reminderAfter(now, system.reminderHours()), 1, system.reminderHours(), system.maxAttempts(),
                system.manual());
    }

    /** Sent again at {@code now} (a reminder, or a retry when {@code fresh}). */
    SystemTarget resent(Instant now, boolean fresh) {
        return new SystemTarget(name, SystemStatus.DISPATCHED, attempts + 1, now, itemsErased,
                fresh ? null : detail, legalBasis, deadline, reminderAfter(now, reminderHours), fresh ? 1 : sent + 1,
                reminderHours, maxAttempts, manual);
    }

    /** Given up on at {@code now}: FAILED with {@code why}, no longer chased. */
    SystemTarget escalated(Instant now, String why) {
        return new SystemTarget(name, SystemStatus.FAILED, attempts, now, itemsErased, why, legalBasis, deadline,
                null, sent, reminderHours, maxAttempts, manual);
    }

    /** The same obligation in another status, with the given answer, no longer chased once answered. */
    SystemTarget answered(SystemStatus newStatus, Instant at, Long items, String newDetail, String basis) {
        return new SystemTarget(name, newStatus, attempts, at, items, newDetail, basis, deadline, null, sent,
                reminderHours, maxAttempts, manual);
    }

    /** Waiting for an answer and due for a reminder (or escalation) at or before {@code now}. */
    boolean chaseDue(Instant now) {
        return status == SystemStatus.DISPATCHED && nextReminderAt != null && !now.isBefore(nextReminderAt);
    }

    /** Past its own deadline without a final answer. */
    public boolean overdue(Instant now) {
        return !status.settled() && deadline != null && now.isAfter(deadline);
    }

    private static Instant reminderAfter(Instant now, int hours) {
        return hours > 0 ? now.plus(Duration.ofHours(hours)) : null;
    }
}
