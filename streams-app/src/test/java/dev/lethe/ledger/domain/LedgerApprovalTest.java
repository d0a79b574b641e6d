package dev.lethe.ledger.domain;

import static dev.lethe.ledger.domain.LedgerFixtures.ID;
import static dev.lethe.ledger.domain.LedgerFixtures.SUBJECT_KEY;
import static dev.lethe.ledger.domain.LedgerFixtures.approve;
import static dev.lethe.ledger.domain.LedgerFixtures.cancel;
import static dev.lethe.ledger.domain.LedgerFixtures.ctx;
import static dev.lethe.ledger.domain.LedgerFixtures.decision;
import static dev.lethe.ledger.domain.LedgerFixtures.done;
import static dev.lethe.ledger.domain.LedgerFixtures.manual;
import static dev.lethe.ledger.domain.LedgerFixtures.received;
import static dev.lethe.ledger.domain.LedgerFixtures.reject;
import static dev.lethe.ledger.domain.LedgerFixtures.request;
import static dev.lethe.ledger.domain.LedgerFixtures.retry;
import static dev.lethe.ledger.domain.LedgerFixtures.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/** Requests under a manual-approval policy, grace periods, and the Approve/Reject/Cancel decisions. */
class LedgerApprovalTest {

    private static Run pending() {
        return run(ctx(manual())).apply(received());
    }

    private static void assertRefusedWithoutChange(Run run, RequestState before) {
        assertSame(before, run.state());
        assertEquals(1, run.last().size(), run.last().toString());
        assertInstanceOf(Refused.class, run.last().get(0));
    }

    @Test
    void shouldWaitForAnApproverUnderManualApproval() {
        final Run run = pending();

        assertEquals(RequestStatus.PENDING_APPROVAL, run.state().status());
        assertTrue(run.state().systems().isEmpty());
        assertTrue(run.all(Dispatch.class).isEmpty());
        assertEquals(List.of("RECEIVED", "PENDING_APPROVAL"), run.auditTypes());
    }

    @Test
    void shouldDispatchWhenApproved() {
        // Given a request pending approval
        final Run run = pending();

        // When an approver approves it
        run.apply(approve());

        // Then it is routed and dispatched like an auto-approved request
        assertEquals(RequestStatus.IN_PROGRESS, run.state().status());
        assertEquals(List.of("APPROVED", "DISPATCHED", "DISPATCHED", "DISPATCHED"), run.lastAuditTypes());
        assertEquals("approver:alice", run.last(Audit.class).get(0).actor());
        assertEquals("looks legitimate", run.last(Audit.class).get(0).detail());
        final List<Dispatch> dispatches = run.last(Dispatch.class);
        assertEquals(1, dispatches.size());
        assertEquals(List.of("billing", "crm", "search"), dispatches.get(0).systems());
        assertEquals(1, dispatches.get(0).attempt());
    }

    @Test
    void shouldRouteWithTheRegistryAtApprovalTime() {
        // Given a request received while only billing was registered
        final Run run = run(new LedgerContext(LedgerFixtures.NOW, List.of(LedgerFixtures.BILLING), manual()))
                .apply(received());

        // When it is approved once crm has been registered too
        final Ledger.Transition t = Ledger.apply(run.state(), approve(), new LedgerContext(LedgerFixtures.NOW,
                List.of(LedgerFixtures.BILLING, LedgerFixtures.CRM), manual()));

        assertEquals(List.of("billing", "crm"), t.state().systems().stream().map(SystemTarget::name).toList());
    }

    @Test
    void shouldIgnoreASecondApprovalOfADispatchedRequest() {
        final Run run = pending().apply(approve());
        final RequestState before = run.state();

        run.apply(approve());

        assertSame(before, run.state());
        assertTrue(run.last().isEmpty());
    }

    @Test
    void shouldRefuseApprovalOfAnUnknownRequest() {
        // Given the ledger has never seen request "nope"
        final Ledger.Transition t = Ledger.apply(null, decision("nope", new Decision.Approve(null)),
                ctx(manual()));

        // Then the decision is refused and no request comes into being
        assertEquals(1, t.outputs().size());
        assertInstanceOf(Refused.class, t.outputs().get(0));
        assertTrue(((Refused) t.outputs().get(0)).reason().contains("nope"));
        assertFalse(t.state().received());
        assertTrue(t.state().earlyCallbacks().isEmpty());
    }

    @Test
    void shouldRefuseEveryDecisionAboutAnUnknownRequest() {
        for (Decision.Action action : List.of(new Decision.Reject("r"), new Decision.Cancel("c"),
                new Decision.Retry("billing"))) {
            final Ledger.Transition t = Ledger.apply(null, decision(action), ctx());
            assertEquals(1, t.outputs().size(), action.toString());
            assertInstanceOf(Refused.class, t.outputs().get(0), action.toString());
            assertNull(t.state().status(), action.toString());
        }
    }

    @Test
    void shouldRejectAPendingRequestAndDropItsRawIdentifiers() {
        final Run run = pending();

        run.apply(reject("not a customer of ours"));

        final RequestState s = run.state();
        assertEquals(RequestStatus.REJECTED, s.status());
        assertNull(s.subject());
        assertTrue(s.identifiers().isEmpty());
        assertTrue(s.objects().isEmpty());
        assertEquals(SUBJECT_KEY, s.subjectKey());
        assertEquals(List.of("email", "user_id"), s.namespaces());
        assertEquals(LedgerFixtures.NOW, s.finishedAt());
        assertEquals(List.of("REJECTED"), run.lastAuditTypes());
        assertEquals("not a customer of ours", run.last(Audit.class).get(0).detail());
        assertEquals(RequestStatus.REJECTED, run.last(Audit.class).get(0).status());
        // a rejected request erased nothing: it must not overwrite the subject's erasure record
        assertTrue(run.all(Finished.class).isEmpty());
        assertTrue(run.all(Dispatch.class).isEmpty());
    }

    @Test
    void shouldIgnoreARepeatedRejection() {
        final Run run = pending().apply(reject("no"));
        final RequestState before = run.state();

        run.apply(reject("no, again"));

        assertSame(before, run.state());
        assertTrue(run.last().isEmpty());
    }

    @Test
    void shouldRefuseToRejectADispatchedRequest() {
        final Run run = run(ctx()).apply(received());
        final RequestState before = run.state();

        run.apply(reject("too late"));

        assertRefusedWithoutChange(run, before);
    }

    @Test
    void shouldRefuseToApproveARejectedRequest() {
        final Run run = pending().apply(reject("no"));
        final RequestState before = run.state();

        run.apply(approve());

        assertRefusedWithoutChange(run, before);
    }

    @Test
    void shouldCancelAPendingRequest() {
        final Run run = pending();

        run.apply(cancel("subject withdrew"));

        final RequestState s = run.state();
        assertEquals(RequestStatus.CANCELLED, s.status());
        assertNull(s.subject());
        assertTrue(s.identifiers().isEmpty());
        assertTrue(s.objects().isEmpty());
        assertEquals(List.of("CANCELLED"), run.lastAuditTypes());
        assertTrue(run.all(Finished.class).isEmpty());
        assertTrue(run.all(Dispatch.class).isEmpty());
    }

    @Test
    void shouldRefuseToCancelAfterDispatchAndChangeNothing() {
        // Given a request already sent to its systems
        final Run run = pending().apply(approve());
        final RequestState before = run.state();

        // When someone tries to cancel it
        run.apply(cancel("changed my mind"));

        // Then the cancellation goes to the DLQ and the request carries on
        assertRefusedWithoutChange(run, before);
        assertEquals(RequestStatus.IN_PROGRESS, run.state().status());
    }

    @Test
    void shouldRefuseToCancelACompletedRequest() {
        final Run run = run(ctx()).apply(request().only("billing").received(), done("billing", 1L));
        assertEquals(RequestStatus.COMPLETED, run.state().status());
        final RequestState before = run.state();

        run.apply(cancel("late"));

        assertRefusedWithoutChange(run, before);
    }

    @Test
    void shouldScheduleInsteadOfDispatchingDuringAGracePeriod() {
        // When an auto-approved request asks for a 7-day grace period
        final Run run = run(ctx()).apply(request().graceDays(7).received());

        // Then it waits, scheduled, with nothing sent to any system
        assertEquals(RequestStatus.SCHEDULED, run.state().status());
        assertEquals(7, run.state().graceDays());
        assertTrue(run.state().systems().isEmpty());
        assertTrue(run.all(Dispatch.class).isEmpty());
        assertEquals(List.of("RECEIVED", "APPROVED", "SCHEDULED"), run.auditTypes());
    }

    @Test
    void shouldScheduleAManuallyApprovedRequestWithAGracePeriod() {
        final Run run = run(ctx(manual())).apply(request().graceDays(3).received(), approve());

        assertEquals(RequestStatus.SCHEDULED, run.state().status());
        assertTrue(run.all(Dispatch.class).isEmpty());
        assertEquals(List.of("RECEIVED", "PENDING_APPROVAL", "APPROVED", "SCHEDULED"), run.auditTypes());
    }

    @Test
    void shouldCancelAScheduledRequest() {
        final Run run = run(ctx()).apply(request().graceDays(7).received(), cancel("withdrawn"));

        assertEquals(RequestStatus.CANCELLED, run.state().status());
        assertNull(run.state().subject());
    }

    @Test
    void shouldRefuseToRejectAScheduledRequest() {
        // Given a request already approved, waiting out its grace period
        final Run run = run(ctx()).apply(request().graceDays(7).received());
        final RequestState before = run.state();

        // Then it can be cancelled, not rejected
        run.apply(reject("no"));

        assertRefusedWithoutChange(run, before);
    }

    @Test
    void shouldRefuseARetryBeforeDispatch() {
        final Run run = pending();
        final RequestState before = run.state();

        run.apply(retry("billing"));

        assertRefusedWithoutChange(run, before);
    }

    @Test
    void shouldAuditDecisionsWithTheRequestsStatusAfterTheTransition() {
        final Run run = pending().apply(approve());

        final List<Audit> audits = run.all(Audit.class);
        assertEquals(RequestStatus.RECEIVED, audits.get(0).status());
        assertEquals(RequestStatus.PENDING_APPROVAL, audits.get(1).status());
        // APPROVED is recorded before routing; DISPATCHED once the request is in progress
        assertEquals(RequestStatus.PENDING_APPROVAL, audits.get(2).status());
        assertEquals(RequestStatus.IN_PROGRESS, audits.get(3).status());
        audits.forEach(a -> assertEquals(ID, a.requestId()));
    }
}
