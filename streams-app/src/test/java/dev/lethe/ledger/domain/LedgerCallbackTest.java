package dev.lethe.ledger.domain;

import static dev.lethe.ledger.domain.LedgerFixtures.ID;
import static dev.lethe.ledger.domain.LedgerFixtures.NOW;
import static dev.lethe.ledger.domain.LedgerFixtures.SUBJECT_KEY;
import static dev.lethe.ledger.domain.LedgerFixtures.approve;
import static dev.lethe.ledger.domain.LedgerFixtures.callback;
import static dev.lethe.ledger.domain.LedgerFixtures.ctx;
import static dev.lethe.ledger.domain.LedgerFixtures.done;
import static dev.lethe.ledger.domain.LedgerFixtures.failed;
import static dev.lethe.ledger.domain.LedgerFixtures.manual;
import static dev.lethe.ledger.domain.LedgerFixtures.maxEarlyCallbacks;
import static dev.lethe.ledger.domain.LedgerFixtures.notFound;
import static dev.lethe.ledger.domain.LedgerFixtures.progress;
import static dev.lethe.ledger.domain.LedgerFixtures.received;
import static dev.lethe.ledger.domain.LedgerFixtures.reject;
import static dev.lethe.ledger.domain.LedgerFixtures.request;
import static dev.lethe.ledger.domain.LedgerFixtures.retained;
import static dev.lethe.ledger.domain.LedgerFixtures.retry;
import static dev.lethe.ledger.domain.LedgerFixtures.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.ledger.domain.LedgerFixtures.Run;
import dev.lethe.ledger.domain.LedgerOutput.Audit;
import dev.lethe.ledger.domain.LedgerOutput.Dispatch;
import dev.lethe.ledger.domain.LedgerOutput.Finished;
import dev.lethe.ledger.domain.LedgerOutput.Refused;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Partner callbacks, retries and callbacks that arrive before their request. */
class LedgerCallbackTest {

    /** A request dispatched to billing, crm and search. */
    private static Run dispatched() {
        return run(ctx()).apply(received());
    }

    private static void assertRefusedWithoutChange(Run run, RequestState before) {
        assertSame(before, run.state());
        assertEquals(1, run.last().size(), run.last().toString());
        assertInstanceOf(Refused.class, run.last().get(0));
    }

    @Test
    void shouldSettleASystemThatReportsDone() {
        final Run run = dispatched().apply(done("billing", 12L, "rows deleted from billing.invoices"));

        final SystemTarget billing = run.system("billing");
        assertEquals(SystemStatus.DONE, billing.status());
        assertEquals(12L, billing.itemsErased());
        assertEquals("rows deleted from billing.invoices", billing.detail());
        assertEquals(RequestStatus.IN_PROGRESS, run.state().status());
        assertEquals(List.of("SYSTEM_DONE"), run.lastAuditTypes());
        final Audit audit = run.last(Audit.class).get(0);
        assertEquals("billing", audit.system());
        assertEquals("partner:billing", audit.actor());
        assertEquals("12 items erased; rows deleted from billing.invoices", audit.detail());
        assertEquals(RequestStatus.IN_PROGRESS, audit.status());
    }

    @Test
    void shouldSettleASystemThatFoundNothing() {
        final Run run = dispatched().apply(notFound("crm"));

        assertEquals(SystemStatus.NOT_FOUND, run.system("crm").status());
        assertEquals(List.of("SYSTEM_NOT_FOUND"), run.lastAuditTypes());
    }

    @Test
    void shouldCompleteWhenEverySystemIsSettled() {
        // Given billing and crm have answered
        final Run run = dispatched().apply(done("billing", 12L), notFound("crm"));
        assertEquals(RequestStatus.IN_PROGRESS, run.state().status());
        assertTrue(run.all(Finished.class).isEmpty());

        // When the last system answers
        run.apply(done("search", 40L));

        // Then the request is completed, audited, and its record goes to the dataset
        final RequestState s = run.state();
        assertEquals(RequestStatus.COMPLETED, s.status());
        assertEquals(NOW, s.finishedAt());
        assertEquals(List.of("SYSTEM_DONE", "COMPLETED"), run.lastAuditTypes());
        final Audit completed = run.last(Audit.class).get(1);
        assertEquals(Ledger.LEDGER_ACTOR, completed.actor());
        assertEquals(RequestStatus.COMPLETED, completed.status());
        final List<Finished> finished = run.last(Finished.class);
        assertEquals(1, finished.size());
        final Finished f = finished.get(0);
        assertEquals(SUBJECT_KEY, f.subjectKey());
        assertEquals(ID, f.requestId());
        assertEquals(RequestStatus.COMPLETED, f.status());
        assertEquals("GDPR", f.jurisdiction());
        assertEquals(List.of("email", "user_id"), f.namespaces());
        assertEquals(LedgerFixtures.REQUESTED_AT, f.requestedAt());
        assertEquals(NOW, f.finishedAt());
        assertEquals(List.of("billing", "crm", "search"), f.systems().stream().map(SystemTarget::name).toList());
        assertEquals(List.of(SystemStatus.DONE, SystemStatus.NOT_FOUND, SystemStatus.DONE),
                f.systems().stream().map(SystemTarget::status).toList());
        assertEquals(List.of(12L, 40L), f.systems().stream().map(SystemTarget::itemsErased)
                .filter(java.util.Objects::nonNull).toList());
        assertEquals(s.systems(), f.systems());
    }

    @Test
    void shouldCompleteWithExceptionsWhenASystemRetainsDataOnALegalBasis() {
        final Run run = dispatched().apply(done("billing", 1L), notFound("crm"),
                retained("search", "tax law: invoices kept 10 years"));

        assertEquals(RequestStatus.COMPLETED_WITH_EXCEPTIONS, run.state().status());
        final SystemTarget search = run.system("search");
        assertEquals(SystemStatus.RETAINED, search.status());
        assertEquals("tax law: invoices kept 10 years", search.legalBasis());
        assertEquals(List.of("SYSTEM_RETAINED", "COMPLETED_WITH_EXCEPTIONS"), run.lastAuditTypes());
        assertEquals("legal basis: tax law: invoices kept 10 years; kept invoices",
                run.last(Audit.class).get(0).detail());
        final Finished f = run.last(Finished.class).get(0);
        assertEquals(RequestStatus.COMPLETED_WITH_EXCEPTIONS, f.status());
        assertEquals("tax law: invoices kept 10 years", f.systems().get(2).legalBasis());
    }

    @Test
    void shouldRefuseRetainedWithoutALegalBasis() {
        final Run run = dispatched();
        final RequestState before = run.state();

        run.apply(callback("search", Outcome.RETAINED, null, "kept", null));
        assertRefusedWithoutChange(run, before);

        run.apply(callback("search", Outcome.RETAINED, null, "kept", "   "));
        assertRefusedWithoutChange(run, before);
    }

    @Test
    void shouldRefuseRetainedWithoutALegalBasisBeforeTheRequestArrives() {
        final Ledger.Transition t = Ledger.apply(null, callback("search", Outcome.RETAINED, null, null, ""), ctx());

        assertInstanceOf(Refused.class, t.outputs().get(0));
        assertTrue(t.state().earlyCallbacks().isEmpty());
    }

    @Test
    void shouldKeepTheRequestInProgressWhenASystemFails() {
        final Run run = dispatched().apply(done("billing", 1L), notFound("crm"), failed("search", "timeout"));

        assertEquals(RequestStatus.IN_PROGRESS, run.state().status());
        final SystemTarget search = run.system("search");
        assertEquals(SystemStatus.FAILED, search.status());
        assertEquals("timeout", search.detail());
        assertEquals(List.of("SYSTEM_FAILED"), run.lastAuditTypes());
        assertEquals("timeout", run.last(Audit.class).get(0).detail());
        assertTrue(run.all(Finished.class).isEmpty());
    }

    @Test
    void shouldRedispatchOnlyTheFailedSystemOnRetry() {
        // Given search failed
        final Run run = dispatched().apply(failed("search", "timeout"));

        // When an approver asks for a retry
        run.apply(retry("search"));

        // Then search is dispatched again, attempt 2, and only search is asked
        final SystemTarget search = run.system("search");
        assertEquals(SystemStatus.DISPATCHED, search.status());
        assertEquals(2, search.attempts());
        assertEquals(1, run.system("billing").attempts());
        assertEquals(SystemStatus.DISPATCHED, run.system("billing").status());
        final List<Dispatch> dispatches = run.last(Dispatch.class);
        assertEquals(1, dispatches.size());
        final Dispatch d = dispatches.get(0);
        assertEquals(List.of("search"), d.systems());
        assertEquals(2, d.attempt());
        assertEquals(ID + "/search/2", d.eventId());
        assertEquals(LedgerFixtures.SUBJECT, d.subject());
        assertEquals(run.state().deadline(), d.deadline());
        assertEquals(List.of("RETRY"), run.lastAuditTypes());
        assertEquals("approver:alice", run.last(Audit.class).get(0).actor());
        assertEquals("search", run.last(Audit.class).get(0).system());
        assertEquals(RequestStatus.IN_PROGRESS, run.state().status());
    }

    @Test
    void shouldCountAttemptsAcrossRepeatedRetries() {
        final Run run = dispatched().apply(failed("search", "timeout"), retry("search"),
                failed("search", "503"), retry("search"));

        assertEquals(3, run.system("search").attempts());
        assertEquals(3, run.last(Dispatch.class).get(0).attempt());
    }

    @Test
    void shouldCompleteARetriedSystemThatThenSucceeds() {
        final Run run = dispatched().apply(done("billing", 1L), notFound("crm"), failed("search", "timeout"),
                retry("search"), done("search", 7L));

        assertEquals(RequestStatus.COMPLETED, run.state().status());
        assertEquals(2, run.system("search").attempts());
        assertEquals(1, run.all(Finished.class).size());
    }

    @Test
    void shouldRefuseToRetryASettledSystem() {
        final Run run = dispatched().apply(done("billing", 1L));
        final RequestState before = run.state();

        run.apply(retry("billing"));

        assertRefusedWithoutChange(run, before);
    }

    @Test
    void shouldRefuseToRetryASystemTheRequestDoesNotTarget() {
        final Run run = dispatched();
        final RequestState before = run.state();

        run.apply(retry("ads"));

        assertRefusedWithoutChange(run, before);
    }

    @Test
    void shouldRefuseToRetryOnceTheRequestFinished() {
        final Run run = run(ctx()).apply(request().only("billing").received(), done("billing", 1L));
        final RequestState before = run.state();

        run.apply(retry("billing"));

        assertRefusedWithoutChange(run, before);
    }

    @Test
    void shouldMarkASystemInProgressWithTheMostItemsErasedSeen() {
        final Run run = dispatched().apply(progress("billing", 50));
        assertEquals(SystemStatus.IN_PROGRESS, run.system("billing").status());
        assertEquals(50L, run.system("billing").itemsErased());
        assertEquals(List.of("SYSTEM_PROGRESS"), run.lastAuditTypes());
        assertEquals("50 items erased", run.last(Audit.class).get(0).detail());

        // When an older progress report arrives late
        run.apply(progress("billing", 30));

        // Then the count does not go back, and nothing is audited
        assertEquals(50L, run.system("billing").itemsErased());
        assertTrue(run.last().isEmpty());

        run.apply(progress("billing", 80));
        assertEquals(80L, run.system("billing").itemsErased());
        assertEquals(RequestStatus.IN_PROGRESS, run.state().status());
    }

    @Test
    void shouldNeverLetProgressOverrideAFailure() {
        // Given crm failed
        final Run run = dispatched().apply(failed("crm", "auth error"));

        // When a progress report arrives after the failure
        run.apply(progress("crm", 9));

        // Then crm stays FAILED, with the count kept
        final SystemTarget crm = run.system("crm");
        assertEquals(SystemStatus.FAILED, crm.status());
        assertEquals(9L, crm.itemsErased());
        assertEquals("auth error", crm.detail());
    }

    @Test
    void shouldFailASystemThatWasInProgress() {
        final Run run = dispatched().apply(progress("crm", 4), failed("crm", "disk full"));

        final SystemTarget crm = run.system("crm");
        assertEquals(SystemStatus.FAILED, crm.status());
        assertEquals(4L, crm.itemsErased());
    }

    @Test
    void shouldNeverChangeASettledSystemsAnswerAgain() {
        // Given billing reported DONE
        final Run run = dispatched().apply(done("billing", 12L, "all gone"));
        final SystemTarget before = run.system("billing");

        // When contradicting or stale reports arrive for billing
        for (LedgerEvent late : List.of(failed("billing", "late failure"), progress("billing", 99),
                notFound("billing"), retained("billing", "tax law"), done("billing", 1L, "other"))) {
            run.apply(late);

            // Then its answer stays; only a contradiction is recorded (LedgerAttentionTest), nothing else
            final SystemTarget billing = run.system("billing");
            assertEquals(List.of(before.status(), before.itemsErased(), before.detail()),
                    List.of(billing.status(), billing.itemsErased(), billing.detail()), late.toString());
            assertTrue(run.lastAuditTypes().stream().allMatch("CALLBACK_CONTRADICTED"::equals), late.toString());
        }
        assertEquals(List.of(Outcome.FAILED, Outcome.NOT_FOUND, Outcome.RETAINED),
                run.system("billing").contradictions());
    }

    @Test
    void shouldIgnoreTheSameCallbackDeliveredTwice() {
        final LedgerEvent.CalledBack once = done("billing", 12L);
        final Run run = dispatched().apply(once);
        final RequestState before = run.state();

        run.apply(once);

        assertSame(before, run.state());
        assertTrue(run.last().isEmpty());
    }

    @Test
    void shouldAuditButIgnoreACallbackFromASystemTheRequestDoesNotTarget() {
        final Run run = dispatched();
        final RequestState before = run.state();

        run.apply(done("ads", 5L));

        assertEquals(before.status(), run.state().status());
        assertEquals(before.systems(), run.state().systems());
        assertEquals(List.of("CALLBACK_NOT_TARGETED"), run.lastAuditTypes());
        assertEquals("ads", run.last(Audit.class).get(0).system());
        assertEquals(1, run.last().size());
    }

    @Test
    void shouldIgnoreACallbackAfterTheRequestFinished() {
        final Run run = run(ctx()).apply(request().only("billing").received(), done("billing", 3L));
        final RequestState before = run.state();

        // (a contradicting one is recorded: LedgerAttentionTest)
        for (LedgerEvent late : List.of(done("billing", 3L), progress("billing", 8), done("ads", 1L))) {
            run.apply(late);
            assertSame(before, run.state(), late.toString());
            assertTrue(run.last().isEmpty(), late.toString());
        }
    }

    @Test
    void shouldKeepCallbackThatArrivesBeforeItsRequest() {
        // Given billing answers before the ledger has seen the request
        final Run run = run(ctx()).apply(done("billing", 4L));

        // Then the callback is kept, silently (no request, so no audit trail yet)
        assertNull(run.state().status());
        assertEquals(ID, run.state().requestId());
        assertEquals(1, run.state().earlyCallbacks().size());
        assertTrue(run.last().isEmpty());

        // When the request arrives
        run.apply(received());

        // Then the kept callback is applied at dispatch
        assertEquals(SystemStatus.DONE, run.system("billing").status());
        assertEquals(4L, run.system("billing").itemsErased());
        assertTrue(run.state().earlyCallbacks().isEmpty());
        assertEquals(List.of("RECEIVED", "APPROVED", "DISPATCHED", "DISPATCHED", "DISPATCHED", "SYSTEM_DONE"),
                run.lastAuditTypes());
        // the Dispatch still lists billing: the ledger dispatches what it routed
        assertEquals(List.of("billing", "crm", "search"), run.last(Dispatch.class).get(0).systems());
    }

    @Test
    void shouldCompleteAtDispatchWhenEveryCallbackArrivedEarly() {
        final Run run = run(ctx()).apply(done("billing", 4L), notFound("crm"), retained("search", "AML law"),
                received());

        assertEquals(RequestStatus.COMPLETED_WITH_EXCEPTIONS, run.state().status());
        assertEquals(1, run.last(Finished.class).size());
        assertEquals(1, run.last(Dispatch.class).size());
        assertEquals(List.of("SYSTEM_DONE", "SYSTEM_NOT_FOUND", "SYSTEM_RETAINED", "COMPLETED_WITH_EXCEPTIONS"),
                run.lastAuditTypes().subList(5, 9));
    }

    @Test
    void shouldKeepACallbackThatArrivesWhileTheRequestAwaitsApproval() {
        // Given a request pending approval
        final Run run = run(ctx(manual())).apply(received());

        // When billing answers before anything was dispatched
        run.apply(done("billing", 2L));

        // Then it is kept, and this time audited since the request is known
        assertEquals(RequestStatus.PENDING_APPROVAL, run.state().status());
        assertEquals(1, run.state().earlyCallbacks().size());
        assertEquals(List.of("CALLBACK_KEPT"), run.lastAuditTypes());

        // When the request is approved, the kept callback is applied
        run.apply(approve());
        assertEquals(SystemStatus.DONE, run.system("billing").status());
        assertTrue(run.state().earlyCallbacks().isEmpty());
    }

    @Test
    void shouldKeepACallbackThatArrivesDuringTheGracePeriod() {
        final Run run = run(ctx()).apply(request().graceDays(5).received(), done("crm", 1L));

        assertEquals(RequestStatus.SCHEDULED, run.state().status());
        assertEquals(1, run.state().earlyCallbacks().size());
        assertEquals(List.of("CALLBACK_KEPT"), run.lastAuditTypes());
    }

    @Test
    void shouldDropKeptCallbacksWhenTheRequestIsRejected() {
        final Run run = run(ctx(manual())).apply(received(), done("billing", 2L), reject("no"));

        assertEquals(RequestStatus.REJECTED, run.state().status());
        assertTrue(run.state().earlyCallbacks().isEmpty());
    }

    @Test
    void shouldAuditAnEarlyCallbackForASystemTheRequestDoesNotTargetAtDispatch() {
        final Run run = run(ctx()).apply(done("ads", 1L), received());

        assertEquals(RequestStatus.IN_PROGRESS, run.state().status());
        assertTrue(run.lastAuditTypes().contains("CALLBACK_NOT_TARGETED"));
        assertTrue(run.state().system("ads").isEmpty());
    }

    @Test
    void shouldKeepAnEarlyCallbackOnlyOnceWhateverHowOftenItIsDelivered() {
        final LedgerEvent.CalledBack early = done("billing", 4L);

        final Run run = run(ctx()).apply(early, early, early);

        assertEquals(1, run.state().earlyCallbacks().size());
        assertTrue(run.all().isEmpty());
    }

    @Test
    void shouldRefuseEarlyCallbacksBeyondThePolicyLimit() {
        // Given a policy that keeps at most two callbacks per unknown request
        final Run run = run(ctx(maxEarlyCallbacks(2))).apply(done("billing", 1L), notFound("crm"));
        final RequestState before = run.state();

        // When a third distinct callback arrives
        run.apply(progress("search", 3));

        // Then it is refused and the kept ones are untouched
        assertRefusedWithoutChange(run, before);
        assertEquals(2, run.state().earlyCallbacks().size());

        // And a redelivery of one already kept is still harmless, not refused
        run.apply(new LedgerEvent.CalledBack(before.earlyCallbacks().get(0)));
        assertSame(before, run.state());
        assertTrue(run.last().isEmpty());
    }

    @Test
    void shouldKeepTheEvidenceOfEachProgressInTheTrail() {
        // Given a processor's signed receipt, then its signed in_progress status (news with evidence, no items)
        final Run run = dispatched().apply(callback("crm", Outcome.PROGRESS, null, "opendsr receipt signature=AAA", null));
        final List<Audit> receipt = run.last(Audit.class);
        run.apply(callback("crm", Outcome.PROGRESS, null, "opendsr status status=in_progress signature=BBB", null));

        // Then each is a fact of the trail with its evidence
        assertEquals("opendsr receipt signature=AAA", receipt.get(0).detail());
        assertEquals(List.of("SYSTEM_PROGRESS"), run.lastAuditTypes());
        assertEquals("opendsr status status=in_progress signature=BBB", run.last(Audit.class).get(0).detail());
        assertEquals(SystemStatus.IN_PROGRESS, run.system("crm").status());
    }

    @Test
    void shouldNotAuditAProgressRepeatedWithTheSameDetailTwice() {
        // Given a partner's PROGRESS with a note (found by the chaos harness: partners deliver at least once)
        final Run run = dispatched().apply(callback("crm", Outcome.PROGRESS, null, "working on it", null));
        assertEquals(List.of("SYSTEM_PROGRESS"), run.lastAuditTypes());

        // When the same news arrives again
        run.apply(callback("crm", Outcome.PROGRESS, null, "working on it", null));

        // Then it is not a second transition in the trail
        assertTrue(run.last(Audit.class).isEmpty(), run.last().toString());
        assertEquals(SystemStatus.IN_PROGRESS, run.system("crm").status());
    }
}
