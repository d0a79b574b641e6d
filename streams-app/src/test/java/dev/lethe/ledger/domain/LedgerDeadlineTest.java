package dev.lethe.ledger.domain;

import static dev.lethe.ledger.domain.LedgerFixtures.ctx;
import static dev.lethe.ledger.domain.LedgerFixtures.done;
import static dev.lethe.ledger.domain.LedgerFixtures.manual;
import static dev.lethe.ledger.domain.LedgerFixtures.reject;
import static dev.lethe.ledger.domain.LedgerFixtures.request;
import static dev.lethe.ledger.domain.LedgerFixtures.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.Period;
import org.junit.jupiter.api.Test;

/** Statutory deadlines per jurisdiction and the overdue flag. */
class LedgerDeadlineTest {

    private static Instant deadline(String jurisdiction, String requestedAt) {
        return run(ctx()).apply(request().jurisdiction(jurisdiction).requestedAt(Instant.parse(requestedAt))
                .received()).state().deadline();
    }

    @Test
    void shouldGiveGdprOneCalendarMonth() {
        assertEquals(Instant.parse("2026-04-02T09:00:00Z"), deadline("GDPR", "2026-03-02T09:00:00Z"));
        assertEquals(Instant.parse("2026-03-01T00:00:00Z"), deadline("GDPR", "2026-02-01T00:00:00Z"));
    }

    @Test
    void shouldEndAGdprMonthOnTheLastDayOfAShorterMonth() {
        assertEquals(Instant.parse("2026-02-28T10:00:00Z"), deadline("GDPR", "2026-01-31T10:00:00Z"));
        assertEquals(Instant.parse("2028-02-29T10:00:00Z"), deadline("GDPR", "2028-01-31T10:00:00Z"));
        assertEquals(Instant.parse("2026-04-30T23:59:59Z"), deadline("GDPR", "2026-03-31T23:59:59Z"));
    }

    @Test
    void shouldGiveCcpaAndCpra45Days() {
        assertEquals(Instant.parse("2026-03-17T12:00:00Z"), deadline("CCPA", "2026-01-31T12:00:00Z"));
        assertEquals(Instant.parse("2026-03-17T12:00:00Z"), deadline("CPRA", "2026-01-31T12:00:00Z"));
    }

    @Test
    void shouldGivePipaTenDays() {
        assertEquals(Instant.parse("2026-03-05T08:30:00Z"), deadline("PIPA", "2026-02-23T08:30:00Z"));
    }

    @Test
    void shouldGiveAnUnknownJurisdictionThirtyDays() {
        assertEquals(Instant.parse("2026-03-02T10:00:00Z"), deadline("LGPD", "2026-01-31T10:00:00Z"));
    }

    @Test
    void shouldUseTheConfiguredDefaultForAnUnknownJurisdiction() {
        final LedgerPolicy policy = LedgerFixtures.defaultDeadline(Period.ofDays(15));

        assertEquals(Instant.parse("2026-02-15T10:00:00Z"),
                policy.deadline("APPI", Instant.parse("2026-01-31T10:00:00Z")));
        assertEquals(Instant.parse("2026-02-28T10:00:00Z"),
                policy.deadline("GDPR", Instant.parse("2026-01-31T10:00:00Z")));
    }

    @Test
    void shouldCountTheDeadlineFromWhenTheRequestWasFiledNotWhenTheLedgerSawIt() {
        // Given the ledger sees the request days after it was filed
        final Instant filed = Instant.parse("2026-01-10T00:00:00Z");
        final Ledger.Transition t = Ledger.apply(null, request().jurisdiction("PIPA").requestedAt(filed).received(),
                new LedgerContext(Instant.parse("2026-01-15T00:00:00Z"), LedgerFixtures.REGISTRY,
                        LedgerPolicy.defaults()));

        assertEquals(Instant.parse("2026-01-20T00:00:00Z"), t.state().deadline());
    }

    @Test
    void shouldBeOverdueOnlyAfterTheDeadline() {
        final RequestState s = run(ctx()).apply(request().jurisdiction("PIPA")
                .requestedAt(Instant.parse("2026-02-23T08:30:00Z")).received()).state();
        final Instant deadline = Instant.parse("2026-03-05T08:30:00Z");

        assertFalse(s.overdue(deadline.minusSeconds(1)));
        assertFalse(s.overdue(deadline));
        assertTrue(s.overdue(deadline.plusMillis(1)));
    }

    @Test
    void shouldBeOverdueWhilePendingApproval() {
        final RequestState s = run(ctx(manual())).apply(request().jurisdiction("PIPA").received()).state();

        assertEquals(RequestStatus.PENDING_APPROVAL, s.status());
        assertTrue(s.overdue(s.deadline().plusSeconds(1)));
    }

    @Test
    void shouldNeverBeOverdueOnceCompleted() {
        final RequestState s = run(ctx()).apply(request().only("billing").received(), done("billing", 2L))
                .state();

        assertEquals(RequestStatus.COMPLETED, s.status());
        assertFalse(s.overdue(s.deadline().plusSeconds(86_400 * 365L)));
    }

    @Test
    void shouldNeverBeOverdueOnceRejected() {
        final RequestState s = run(ctx(manual())).apply(request().received(), reject("no")).state();

        assertFalse(s.overdue(s.deadline().plusSeconds(1)));
    }

    @Test
    void shouldNotBeOverdueWhileOnlyCallbacksHaveArrived() {
        final RequestState s = run(ctx()).apply(done("billing", 1L)).state();

        assertFalse(s.overdue(Instant.parse("2100-01-01T00:00:00Z")));
    }
}
