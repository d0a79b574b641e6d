package dev.lethe.ledger.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One system's obligation within one request, frozen at dispatch together with how it is
 * chased: its own {@code deadline} (dispatch + slaDays), when it is next reminded
 * ({@code nextReminderAt}, null when it is not chased), how many erasure events it was
 * {@code sent} since its last (re)dispatch or news (PROGRESS), and the registration's
 * {@code reminderHours} and {@code maxAttempts}. {@code attempts} counts every erasure event it
 * was ever sent. {@code overdueAudited} says the breach of its own deadline was audited (once);
 * {@code contradictions} the outcomes it reported after it had settled (each recorded once).
 */
public record SystemTarget(String name, SystemStatus status, int attempts, Instant updatedAt,
                           Long itemsErased, String detail, String legalBasis, Instant deadline,
                           Instant nextReminderAt, int sent, int reminderHours, int maxAttempts, boolean manual,
                           boolean overdueAudited, List<Outcome> contradictions) {

    public SystemTarget {
        contradictions = contradictions == null ? List.of() : List.copyOf(contradictions);
    }

    /** A target that is not chased (no deadline of its own, no reminders). */
    public SystemTarget(String name, SystemStatus status, int attempts, Instant updatedAt, Long itemsErased,
                        String detail, String legalBasis) {
        this(name, status, attempts, updatedAt, itemsErased, detail, legalBasis, null, null, 0, 0, 0, false,
                false, List.of());
    }

    /** Freshly dispatched to {@code system} at {@code now}: one event sent, reminded after its reminderHours. */
    static SystemTarget dispatched(SystemInfo system, Instant now) {
        return new SystemTarget(system.name(), SystemStatus.DISPATCHED, 1, now, null, null, null,
                now.plus(Duration.ofDays(Math.max(0, system.slaDays()))),
                reminderAfter(now, system.reminderHours()), 1, system.reminderHours(), system.maxAttempts(),
                system.manual(), false, List.of());
    }

    /** This fresh obligation counting the erasure events {@code earlier} (the same system's) was sent before. */
    SystemTarget afterEarlier(SystemTarget earlier) {
        return new SystemTarget(name, status, earlier.attempts() + attempts, updatedAt, itemsErased, detail, legalBasis,
                deadline, nextReminderAt, sent, reminderHours, maxAttempts, manual, overdueAudited, contradictions);
    }

    /**
     * Sent again at {@code now}: a reminder keeps its status (DISPATCHED or IN_PROGRESS); a retry
     * ({@code fresh}) is DISPATCHED with fresh attempts.
     */
    SystemTarget resent(Instant now, boolean fresh) {
        return new SystemTarget(name, fresh ? SystemStatus.DISPATCHED : status, attempts + 1, now, itemsErased,
                fresh ? null : detail, legalBasis, deadline, reminderAfter(now, reminderHours), fresh ? 1 : sent + 1,
                reminderHours, maxAttempts, manual, overdueAudited, contradictions);
    }

    /** Given up on at {@code now}: FAILED with {@code why}, no longer chased. */
    SystemTarget escalated(Instant now, String why) {
        return new SystemTarget(name, SystemStatus.FAILED, attempts, now, itemsErased, why, legalBasis, deadline,
                null, sent, reminderHours, maxAttempts, manual, overdueAudited, contradictions);
    }

    /** The same obligation in another status, with the given answer, no longer chased once answered. */
    SystemTarget answered(SystemStatus newStatus, Instant at, Long items, String newDetail, String basis) {
        return new SystemTarget(name, newStatus, attempts, at, items, newDetail, basis, deadline, null, sent,
                reminderHours, maxAttempts, manual, overdueAudited, contradictions);
    }

    /**
     * News (PROGRESS) at {@code at}: IN_PROGRESS with {@code items}, chased again from now on as if
     * freshly dispatched, but with none of its {@code maxAttempts} used yet; {@code news}, its text if
     * any, becomes the detail.
     */
    SystemTarget progressed(Instant at, Long items, String news) {
        return new SystemTarget(name, SystemStatus.IN_PROGRESS, attempts, at, items, news == null ? detail : news,
                legalBasis, deadline,
                reminderAfter(at, reminderHours), 0, reminderHours, maxAttempts, manual, overdueAudited,
                contradictions);
    }

    /** The breach of its own deadline was audited. */
    SystemTarget withOverdueAudited() {
        return new SystemTarget(name, status, attempts, updatedAt, itemsErased, detail, legalBasis, deadline,
                nextReminderAt, sent, reminderHours, maxAttempts, manual, true, contradictions);
    }

    /** {@code outcome} contradicted its settled answer (recorded; the answer itself is kept). */
    SystemTarget contradictedBy(Outcome outcome) {
        final List<Outcome> all = new ArrayList<>(contradictions);
        all.add(outcome);
        return new SystemTarget(name, status, attempts, updatedAt, itemsErased, detail, legalBasis, deadline,
                nextReminderAt, sent, reminderHours, maxAttempts, manual, overdueAudited, all);
    }

    /** Whether this answer is only a repeat of what it already said (same status, same count, same evidence). */
    boolean sameAnswer(SystemTarget other) {
        return status == other.status && Objects.equals(itemsErased, other.itemsErased)
                && Objects.equals(detail, other.detail) && Objects.equals(legalBasis, other.legalBasis);
    }

    /** Owes an answer (asked, or working since its last news); due for a reminder or escalation by {@code now}. */
    boolean chaseDue(Instant now) {
        return (status == SystemStatus.DISPATCHED || status == SystemStatus.IN_PROGRESS) && nextReminderAt != null
                && !now.isBefore(nextReminderAt);
    }

    /** Past its own deadline, still owing an answer, and not audited for it yet. */
    boolean overdueUnaudited(Instant now) {
        return !overdueAudited && overdue(now);
    }

    /** Past its own deadline without a final answer. */
    public boolean overdue(Instant now) {
        return !status.settled() && deadline != null && now.isAfter(deadline);
    }

    private static Instant reminderAfter(Instant now, int hours) {
        return hours > 0 ? now.plus(Duration.ofHours(hours)) : null;
    }
}
