package dev.lethe.ledger.domain;

import static dev.lethe.ledger.domain.LedgerFixtures.ID;
import static dev.lethe.ledger.domain.LedgerFixtures.NOW;
import static dev.lethe.ledger.domain.LedgerFixtures.ctx;
import static dev.lethe.ledger.domain.LedgerFixtures.decision;
import static dev.lethe.ledger.domain.LedgerFixtures.done;
import static dev.lethe.ledger.domain.LedgerFixtures.notFound;
import static dev.lethe.ledger.domain.LedgerFixtures.progress;
import static dev.lethe.ledger.domain.LedgerFixtures.received;
import static dev.lethe.ledger.domain.LedgerFixtures.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.ledger.domain.LedgerFixtures.Run;
import dev.lethe.ledger.domain.LedgerOutput.Audit;
import dev.lethe.ledger.domain.LedgerOutput.Dispatch;
import dev.lethe.ledger.domain.LedgerOutput.Finished;
import dev.lethe.ledger.domain.LedgerOutput.Notify;
import dev.lethe.ledger.domain.LedgerOutput.Refused;
import dev.lethe.ledger.domain.LedgerOutput.Wake;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Reminders to systems that have not answered, escalation after their maximum attempts, retries. */
class LedgerChaseTest {

    private static Instant hours(int h) {
        return NOW.plus(Duration.ofHours(h));
    }

    /** A request whose billing and crm answered at once, so only search is chased (24 h, 5 attempts). */
    private static Run onlySearchOpen() {
        return run(ctx()).apply(received(), done("billing", 1L), notFound("crm"));
    }

    @Test
    void shouldAskToBeWokenAtTheFirstReminderJustPastTheSystemsDeadlinesAndJustPastTheDeadline() {
        final Run run = run(ctx()).apply(received());

        // (the deadline's wake is asked for at receipt, the others once the gate admits it: order is no matter)
        final List<Instant> wakes = run.last(Wake.class).stream().map(Wake::at).sorted().toList();
        assertEquals(Stream.of(hours(24), NOW.plus(Duration.ofDays(30)).plusMillis(1),
                run.state().deadline().plusMillis(1)).sorted().toList(), wakes);
        assertEquals(hours(24), run.system("search").nextReminderAt());
        assertEquals(NOW.plus(Duration.ofDays(30)), run.system("search").deadline());
    }

    @Test
    void shouldNotRemindBeforeTheReminderIntervalHasPassed() {
        final Run run = onlySearchOpen().wakeAt(hours(23));

        assertTrue(run.last().isEmpty(), () -> run.last().toString());
        assertEquals(1, run.system("search").attempts());
    }

    @Test
    void shouldRemindOnlyTheSystemThatHasNotAnsweredWithTheSameRequestId() {
        final Run run = onlySearchOpen().wakeAt(hours(24));

        final List<Dispatch> reminders = run.last(Dispatch.class);
        assertEquals(1, reminders.size());
        assertEquals(List.of("search"), reminders.get(0).systems());
        assertEquals(ID, reminders.get(0).requestId());
        assertTrue(reminders.get(0).reminder());
        assertEquals(2, reminders.get(0).attempt());
        assertEquals(List.of("REMINDED"), run.lastAuditTypes());
        assertEquals(2, run.system("search").attempts());
        assertEquals(hours(48), run.system("search").nextReminderAt());
        assertEquals(List.of(hours(48)), run.last(Wake.class).stream().map(Wake::at).toList());
    }

    @Test
    void shouldEscalateASystemThatNeverAnswersAfterItsMaximumAttempts() {
        final Run run = onlySearchOpen();
        for (int h = 24; h <= 96; h += 24) {
            run.wakeAt(hours(h));
            assertEquals(1, run.last(Dispatch.class).size(), "reminder at +" + h + "h");
        }
        assertEquals(5, run.system("search").attempts());

        run.wakeAt(hours(120));

        final SystemTarget search = run.system("search");
        assertEquals(SystemStatus.FAILED, search.status());
        assertEquals("no answer after 5 attempts", search.detail());
        assertNull(search.nextReminderAt());
        assertTrue(run.last(Dispatch.class).isEmpty());
        assertEquals(List.of("ESCALATED"), run.lastAuditTypes());
        final Notify notify = run.last(Notify.class).get(0);
        assertEquals(Notify.ESCALATED, notify.type());
        assertEquals("search", notify.system());
        // a request with a FAILED system never looks finished
        assertEquals(RequestStatus.IN_PROGRESS, run.state().status());
        assertTrue(run.all(Finished.class).isEmpty());

        // and nothing more happens to it on later wakes
        run.wakeAt(hours(500));
        assertTrue(run.last(Dispatch.class).isEmpty());
    }

    @Test
    void shouldRetryEveryFailedSystemWithFreshAttemptsAndFinishWhenItAnswers() {
        final Run run = run(ctx()).apply(received(), done("billing", 1L));
        for (int h = 24; h <= 120; h += 24) {
            run.wakeAt(hours(h));
        }
        assertEquals(SystemStatus.FAILED, run.system("crm").status());
        assertEquals(SystemStatus.FAILED, run.system("search").status());

        run.apply(decision(new Decision.RetryFailed("partners are back")));

        final List<Dispatch> retries = run.last(Dispatch.class);
        assertEquals(List.of(List.of("crm"), List.of("search")), retries.stream().map(Dispatch::systems).toList());
        assertTrue(retries.stream().noneMatch(Dispatch::reminder));
        assertEquals(6, retries.get(0).attempt());
        assertEquals(List.of("RETRY", "RETRY"), run.lastAuditTypes());
        assertEquals("attempt 6: partners are back", run.last(Audit.class).get(0).detail());
        assertEquals(SystemStatus.DISPATCHED, run.system("crm").status());
        assertEquals(1, run.system("crm").sent());

        // fresh attempts: the next wake reminds instead of escalating at once
        run.wakeAt(hours(144));
        assertEquals(2, run.last(Dispatch.class).size());

        run.apply(done("crm", 2L), notFound("search"));
        assertEquals(RequestStatus.COMPLETED, run.state().status());
    }

    @Test
    void shouldRefuseToRetryFailedSystemsWhenNoneFailed() {
        final Run run = run(ctx()).apply(received(), decision(new Decision.RetryFailed(null)));

        assertEquals(1, run.last(Refused.class).size());
        assertTrue(run.last(Dispatch.class).isEmpty());
    }

    @Test
    void shouldRemindASystemThatWentSilentAfterProgressCountingFromItsLastNews() {
        // Given search reports progress 10 hours after dispatch
        final Run run = onlySearchOpen().at(hours(10)).apply(progress("search", 10));
        assertEquals(hours(34), run.system("search").nextReminderAt());
        assertEquals(List.of(hours(34)), run.last(Wake.class).stream().map(Wake::at).toList());

        // Then it is not reminded 24 hours after dispatch, but 24 hours after its news
        run.wakeAt(hours(33));
        assertTrue(run.last(Dispatch.class).isEmpty());
        run.wakeAt(hours(34));

        final List<Dispatch> reminders = run.last(Dispatch.class);
        assertEquals(1, reminders.size());
        assertTrue(reminders.get(0).reminder());
        assertEquals(List.of("search"), reminders.get(0).systems());
        assertEquals(List.of("REMINDED"), run.lastAuditTypes());
        assertTrue(run.last(Audit.class).get(0).detail().startsWith("no news since its last progress"));
        // a reminder does not take back the progress it reported
        assertEquals(SystemStatus.IN_PROGRESS, run.system("search").status());
        assertEquals(10L, run.system("search").itemsErased());
    }

    @Test
    void shouldEscalateASystemSilentAfterProgressOnceItHadItsMaximumReminders() {
        final Run run = onlySearchOpen().apply(progress("search", 10));
        for (int h = 24; h <= 120; h += 24) {
            run.wakeAt(hours(h));
            assertEquals(1, run.last(Dispatch.class).size(), "reminder at +" + h + "h");
        }

        run.wakeAt(hours(144));

        assertEquals(SystemStatus.FAILED, run.system("search").status());
        assertEquals("no news after 5 reminders since its last progress", run.system("search").detail());
        assertEquals(List.of("ESCALATED"), run.lastAuditTypes());
        assertEquals(Notify.ESCALATED, run.last(Notify.class).get(0).type());
        assertEquals(RequestStatus.IN_PROGRESS, run.state().status());
    }

    @Test
    void shouldStartTheChaseAgainOnEveryNewsWithoutAuditingARepeatedProgress() {
        final Run run = onlySearchOpen().apply(progress("search", 10));
        run.wakeAt(hours(24)).wakeAt(hours(48));
        assertEquals(2, run.system("search").sent());

        // When the same progress is reported again at +50h: news, nothing new to audit
        run.at(hours(50)).apply(progress("search", 10));

        assertTrue(run.last(Audit.class).isEmpty(), run.last().toString());
        assertEquals(0, run.system("search").sent());
        assertEquals(hours(74), run.system("search").nextReminderAt());
        assertEquals(List.of(hours(74)), run.last(Wake.class).stream().map(Wake::at).toList());
    }

    @Test
    void shouldAuditASystemOnceWhenItsOwnDeadlinePassesWithoutAnAnswer() {
        // Given legacy has 7 days, is never reminded, and the request's own deadline is a month away
        final SystemInfo legacy = new SystemInfo("legacy", Set.of("user_id"), Set.of(), false, 7, 0, 5);
        final Run run = run(new LedgerContext(NOW, List.of(legacy, LedgerFixtures.CRM), LedgerPolicy.defaults()))
                .apply(received(), notFound("crm"));
        final Instant due = NOW.plus(Duration.ofDays(7));
        assertTrue(run.all(Wake.class).stream().anyMatch(w -> w.at().equals(due.plusMillis(1))));

        run.wakeAt(due);
        assertTrue(run.last().isEmpty());

        run.wakeAt(due.plusMillis(1));

        assertEquals(List.of("SYSTEM_OVERDUE"), run.lastAuditTypes());
        final Audit fact = run.last(Audit.class).get(0);
        assertEquals("legacy", fact.system());
        assertTrue(fact.detail().contains(due.toString()), fact.detail());
        final Notify notify = run.last(Notify.class).get(0);
        assertEquals(Notify.SYSTEM_OVERDUE, notify.type());
        assertEquals("legacy", notify.system());
        assertTrue(run.system("legacy").overdue(due.plusMillis(1)));
        assertFalse(run.state().overdue(due.plusMillis(1)));

        // and only once
        run.wakeAt(due.plus(Duration.ofDays(1)));
        assertTrue(run.last(Audit.class).isEmpty());
    }

    @Test
    void shouldAuditAnOverdueSystemThatWentSilentAfterProgressOrFailed() {
        final SystemInfo legacy = new SystemInfo("legacy", Set.of("user_id"), Set.of(), false, 2, 0, 5);
        final SystemInfo old = new SystemInfo("old", Set.of("email"), Set.of(), false, 2, 0, 5);
        final Run run = run(new LedgerContext(NOW, List.of(legacy, old), LedgerPolicy.defaults()))
                .apply(received(), progress("legacy", 3), LedgerFixtures.failed("old", "disk full"));

        run.wakeAt(NOW.plus(Duration.ofDays(2)).plusMillis(1));

        assertEquals(List.of("SYSTEM_OVERDUE", "SYSTEM_OVERDUE"), run.lastAuditTypes());
        assertTrue(run.system("legacy").overdueAudited());
        assertTrue(run.system("old").overdueAudited());
    }

    @Test
    void shouldNotAuditASystemThatAnsweredBeforeItsDeadline() {
        final Run run = run(ctx()).apply(received(), done("billing", 1L), notFound("crm"), notFound("search"));
        assertEquals(RequestStatus.COMPLETED, run.state().status());

        run.wakeAt(NOW.plus(Duration.ofDays(31)));

        assertTrue(run.last().isEmpty());
    }

    @Test
    void shouldChaseARetiredSystemWithTheSettingsFrozenAtDispatch() {
        // Given a system reminded every 2 hours, at most 2 attempts, with a 7-day deadline
        final SystemInfo legacy = new SystemInfo("legacy", Set.of("user_id"), Set.of(), false, 7, 2, 2);
        final Run run = run(new LedgerContext(NOW, List.of(legacy), LedgerPolicy.defaults())).apply(received());
        assertEquals(NOW.plus(Duration.ofDays(7)), run.system("legacy").deadline());

        // When it is retired from the registry and the clock moves on
        final LedgerContext empty = new LedgerContext(hours(2), List.of(), LedgerPolicy.defaults());
        final Ledger.Transition reminded = Ledger.apply(run.state(), new LedgerEvent.Woken(ID), empty);
        final Ledger.Transition escalated = Ledger.apply(reminded.state(), new LedgerEvent.Woken(ID),
                new LedgerContext(hours(4), List.of(), LedgerPolicy.defaults()));

        // Then it is still reminded, then escalated, by its frozen settings
        assertEquals(1, LedgerFixtures.only(reminded.outputs(), Dispatch.class).size());
        assertEquals(SystemStatus.FAILED, escalated.state().system("legacy").orElseThrow().status());
        assertFalse(escalated.state().status().finished());
    }

    @Test
    void shouldNeverChaseASystemWithoutAReminderInterval() {
        final SystemInfo quiet = new SystemInfo("quiet", Set.of("user_id"), Set.of(), false, 30, 0, 5);
        final Run run = run(new LedgerContext(NOW, List.of(quiet), LedgerPolicy.defaults())).apply(received());
        assertNull(run.system("quiet").nextReminderAt());

        run.wakeAt(hours(1_000));

        assertTrue(run.last(Dispatch.class).isEmpty());
        assertEquals(SystemStatus.DISPATCHED, run.system("quiet").status());
    }
}
