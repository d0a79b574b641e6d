package dev.lethe.ledger.domain;

import static dev.lethe.ledger.domain.LedgerFixtures.ADS;
import static dev.lethe.ledger.domain.LedgerFixtures.BILLING;
import static dev.lethe.ledger.domain.LedgerFixtures.NOW;
import static dev.lethe.ledger.domain.LedgerFixtures.acknowledge;
import static dev.lethe.ledger.domain.LedgerFixtures.callback;
import static dev.lethe.ledger.domain.LedgerFixtures.cancel;
import static dev.lethe.ledger.domain.LedgerFixtures.ctx;
import static dev.lethe.ledger.domain.LedgerFixtures.done;
import static dev.lethe.ledger.domain.LedgerFixtures.failed;
import static dev.lethe.ledger.domain.LedgerFixtures.notFound;
import static dev.lethe.ledger.domain.LedgerFixtures.progress;
import static dev.lethe.ledger.domain.LedgerFixtures.received;
import static dev.lethe.ledger.domain.LedgerFixtures.request;
import static dev.lethe.ledger.domain.LedgerFixtures.retained;
import static dev.lethe.ledger.domain.LedgerFixtures.retryFailed;
import static dev.lethe.ledger.domain.LedgerFixtures.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.ledger.domain.LedgerFixtures.Run;
import dev.lethe.ledger.domain.LedgerOutput.Audit;
import dev.lethe.ledger.domain.LedgerOutput.Dispatch;
import dev.lethe.ledger.domain.LedgerOutput.Finished;
import dev.lethe.ledger.domain.LedgerOutput.Notify;
import dev.lethe.ledger.domain.LedgerOutput.Refused;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Requests that need a person: one that no system holds (UNROUTED) is never completed, and a
 * callback that contradicts a settled system (CONTRADICTED) is recorded instead of dropped.
 */
class LedgerAttentionTest {

    /** A request no registered system holds (the registry has only a device-id system). */
    private static Run unrouted() {
        return run(ctx(List.of(ADS))).apply(received());
    }

    /** A request dispatched to billing, crm and search, billing settled DONE. */
    private static Run billingDone() {
        return run(ctx()).apply(received(), done("billing", 12L, "all gone"));
    }

    private static Audit lastAudit(Run run) {
        final List<Audit> facts = run.last(Audit.class);
        return facts.get(facts.size() - 1);
    }

    // ---- UNROUTED

    @Test
    void shouldKeepARequestNoSystemHoldsOpenAndFlagItUnrouted() {
        final Run run = unrouted();

        final RequestState s = run.state();
        assertEquals(RequestStatus.IN_PROGRESS, s.status());
        assertEquals(List.of(Attention.UNROUTED), s.attention());
        assertTrue(s.systems().isEmpty());
        assertEquals(null, s.finishedAt());
        assertTrue(run.all(Finished.class).isEmpty());
        assertTrue(run.all(Dispatch.class).isEmpty());
        assertEquals(List.of("RECEIVED", "APPROVED", "UNROUTED"), run.auditTypes());
        final Audit fact = lastAudit(run);
        assertTrue(fact.detail().contains("namespaces email,user_id"), fact.detail());
        final List<Notify> attention = run.all(Notify.class).stream()
                .filter(n -> n.type().equals(Notify.ATTENTION)).toList();
        assertEquals(1, attention.size());
        assertTrue(attention.get(0).detail().startsWith("UNROUTED"), attention.get(0).detail());
    }

    @Test
    void shouldNeverCompleteAnUnroutedRequestWhileTimePasses() {
        final Run run = unrouted().wakeAt(NOW.plus(Duration.ofDays(400)));

        assertEquals(RequestStatus.IN_PROGRESS, run.state().status());
        assertEquals(List.of(Attention.UNROUTED), run.state().attention());
        assertTrue(run.all(Finished.class).isEmpty());
        assertEquals(List.of("OVERDUE"), run.lastAuditTypes());
    }

    @Test
    void shouldRouteAnUnroutedRequestAgainstTheCurrentRegistryOnRetry() {
        // Given an unrouted request, and billing registered afterwards
        final Run run = unrouted().registry(List.of(ADS, BILLING));

        // When an officer retries it
        run.apply(retryFailed("billing now registered"));

        // Then it is routed to billing, the flag is cleared, and it can complete
        assertEquals(List.of(List.of("billing")), run.last(Dispatch.class).stream().map(Dispatch::systems).toList());
        assertEquals(List.of("REROUTED", "DISPATCHED"), run.lastAuditTypes());
        assertEquals("approver:alice", run.last(Audit.class).get(0).actor());
        assertTrue(run.last(Audit.class).get(0).detail().contains("billing now registered"));
        assertTrue(run.state().attention().isEmpty());
        assertEquals(SystemStatus.DISPATCHED, run.system("billing").status());
        run.apply(done("billing", 3L));
        assertEquals(RequestStatus.COMPLETED, run.state().status());
    }

    @Test
    void shouldKeepACallbackThatCameBeforeAnUnroutedRequestUntilItIsRouted() {
        // Given billing's answer arrives before the request, which then reaches no system
        final Run run = run(ctx(List.of(ADS))).apply(done("billing", 7L), received());
        assertEquals(1, run.state().earlyCallbacks().size());
        assertTrue(run.auditTypes().stream().noneMatch("CALLBACK_NOT_TARGETED"::equals));

        // When billing is registered and the request routed to it, the kept answer settles it
        run.registry(List.of(ADS, BILLING)).apply(retryFailed(null));

        assertEquals(SystemStatus.DONE, run.system("billing").status());
        assertEquals(RequestStatus.COMPLETED, run.state().status());
        assertEquals(1, run.all(Finished.class).size());
    }

    @Test
    void refusesARetryThatStillFindsNoSystemAndStaysUnrouted() {
        final Run run = unrouted();
        final RequestState before = run.state();

        run.apply(retryFailed(null));

        assertSame(before, run.state());
        final List<Refused> refused = run.last(Refused.class);
        assertEquals(1, refused.size());
        assertTrue(refused.get(0).reason().contains("still routed to no system"), refused.get(0).reason());
        assertEquals(1, run.last().size());
    }

    @Test
    void shouldCancelAnUnroutedRequestWithItsReasonNeverCompleted() {
        final Run run = unrouted().apply(cancel("typo in the subject's namespace"));

        assertEquals(RequestStatus.CANCELLED, run.state().status());
        assertTrue(run.state().attention().isEmpty());
        assertEquals(List.of("CANCELLED"), run.lastAuditTypes());
        assertEquals("typo in the subject's namespace", run.last(Audit.class).get(0).detail());
        assertTrue(run.all(Finished.class).isEmpty());
    }

    @Test
    void refusesToCancelAnUnroutedRequestWithoutAReason() {
        final Run run = unrouted();
        final RequestState before = run.state();

        run.apply(cancel(" "));

        assertSame(before, run.state());
        assertEquals(1, run.last(Refused.class).size());
    }

    @Test
    void shouldStillRefuseToCancelARequestOnceItIsDispatched() {
        final Run run = run(ctx()).apply(received(), cancel("changed my mind"));

        assertEquals(RequestStatus.IN_PROGRESS, run.state().status());
        assertEquals(1, run.last(Refused.class).size());
    }

    // ---- CONTRADICTED

    @Test
    void shouldKeepTheSettledAnswerAndRecordAContradictingCallback() {
        final Run run = billingDone();

        run.apply(failed("billing", "late failure"));

        final SystemTarget billing = run.system("billing");
        assertEquals(SystemStatus.DONE, billing.status());
        assertEquals(12L, billing.itemsErased());
        assertEquals("all gone", billing.detail());
        assertEquals(List.of(Outcome.FAILED), billing.contradictions());
        assertEquals(List.of(Attention.CONTRADICTED), run.state().attention());
        assertEquals(List.of("CALLBACK_CONTRADICTED"), run.lastAuditTypes());
        final Audit fact = run.last(Audit.class).get(0);
        assertEquals("partner:billing", fact.actor());
        assertEquals("billing", fact.system());
        assertTrue(fact.detail().contains("FAILED") && fact.detail().contains("DONE"), fact.detail());
        final Notify notify = run.last(Notify.class).get(0);
        assertEquals(Notify.ATTENTION, notify.type());
        assertEquals("billing", notify.system());
    }

    @Test
    void shouldRecordTheSameContradictionOnlyOnce() {
        final Run run = billingDone().apply(failed("billing", "late failure"));
        final RequestState before = run.state();

        run.apply(failed("billing", "late failure, again"));

        assertSame(before, run.state());
        assertTrue(run.last().isEmpty(), run.last().toString());
    }

    @Test
    void shouldNotTreatTheSameOutcomeOrALateProgressAsAContradiction() {
        final Run run = billingDone();
        final RequestState before = run.state();

        for (LedgerEvent late : List.of(done("billing", 1L, "other"), progress("billing", 99))) {
            run.apply(late);

            assertSame(before, run.state(), late.toString());
            assertTrue(run.last().isEmpty(), late.toString());
        }
    }

    @Test
    void shouldRecordEachDistinctContradictingOutcome() {
        final Run run = run(ctx()).apply(received(), notFound("crm"));

        run.apply(done("crm", 4L), retained("crm", "tax law"));

        assertEquals(SystemStatus.NOT_FOUND, run.system("crm").status());
        assertEquals(List.of(Outcome.DONE, Outcome.RETAINED), run.system("crm").contradictions());
        assertEquals(2, run.auditTypes().stream().filter("CALLBACK_CONTRADICTED"::equals).count());
        assertEquals(List.of(Attention.CONTRADICTED), run.state().attention());
    }

    @Test
    void shouldRecordAContradictionThatArrivesAfterTheRequestCompleted() {
        final Run run = run(ctx()).apply(request().only("billing").received(), done("billing", 3L));
        assertEquals(RequestStatus.COMPLETED, run.state().status());

        run.apply(callback("billing", Outcome.RETAINED, null, "kept after all", "tax law"));

        assertEquals(RequestStatus.COMPLETED, run.state().status());
        assertEquals(SystemStatus.DONE, run.system("billing").status());
        assertEquals(List.of(Attention.CONTRADICTED), run.state().attention());
        assertEquals(List.of("CALLBACK_CONTRADICTED"), run.lastAuditTypes());
        assertEquals(RequestStatus.COMPLETED, run.last(Audit.class).get(0).status());
    }

    @Test
    void shouldClearTheContradictionFlagWhenAnOfficerAcknowledgesIt() {
        final Run run = billingDone().apply(failed("billing", "late failure"));

        run.apply(acknowledge("billing confirmed the FAILED was a stale retry"));

        assertTrue(run.state().attention().isEmpty());
        assertEquals(List.of("ACKNOWLEDGED"), run.lastAuditTypes());
        assertEquals("approver:alice", run.last(Audit.class).get(0).actor());
        assertTrue(run.last(Audit.class).get(0).detail().contains("stale retry"));

        // and the contradiction it acknowledged does not flag the request again
        run.apply(failed("billing", "late failure"));
        assertTrue(run.last().isEmpty());
        assertTrue(run.state().attention().isEmpty());
    }

    @Test
    void refusesToAcknowledgeWhenNothingContradicted() {
        for (Run run : List.of(billingDone(), unrouted())) {
            final RequestState before = run.state();

            run.apply(acknowledge("looked at it"));

            assertSame(before, run.state());
            assertEquals(1, run.last(Refused.class).size());
        }
    }
}
