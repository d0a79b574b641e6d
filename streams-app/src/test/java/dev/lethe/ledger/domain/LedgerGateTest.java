package dev.lethe.ledger.domain;

import static dev.lethe.ledger.domain.LedgerFixtures.ID;
import static dev.lethe.ledger.domain.LedgerFixtures.NOW;
import static dev.lethe.ledger.domain.LedgerFixtures.admitted;
import static dev.lethe.ledger.domain.LedgerFixtures.ctx;
import static dev.lethe.ledger.domain.LedgerFixtures.done;
import static dev.lethe.ledger.domain.LedgerFixtures.duplicateFiled;
import static dev.lethe.ledger.domain.LedgerFixtures.duplicateOf;
import static dev.lethe.ledger.domain.LedgerFixtures.held;
import static dev.lethe.ledger.domain.LedgerFixtures.manual;
import static dev.lethe.ledger.domain.LedgerFixtures.received;
import static dev.lethe.ledger.domain.LedgerFixtures.reject;
import static dev.lethe.ledger.domain.LedgerFixtures.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.ledger.domain.LedgerFixtures.Run;
import dev.lethe.ledger.domain.LedgerOutput.Audit;
import dev.lethe.ledger.domain.LedgerOutput.Dispatch;
import dev.lethe.ledger.domain.LedgerOutput.Judged;
import dev.lethe.ledger.domain.LedgerOutput.Notify;
import dev.lethe.ledger.domain.LedgerOutput.Refused;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The subject gate as the fold sees it: a new request waits in RECEIVED for the gate's verdict;
 * admitted, it meets the approval policy; a duplicate of an open request ends without dispatching
 * anything, linked to the first, which records the duplicate in its own trail.
 */
class LedgerGateTest {

    private static final String FIRST = "req-0";

    @Test
    void shouldHoldANewRequestInReceivedUntilTheGateJudgesIt() {
        // When a request arrives under the default (automatic approval) policy
        final Run run = held(ctx()).apply(received());

        // Then it waits: nothing approved, nothing dispatched, no one notified yet
        assertEquals(RequestStatus.RECEIVED, run.state().status());
        assertNull(run.state().duplicateOf());
        assertEquals(List.of("RECEIVED"), run.auditTypes());
        assertTrue(run.all(Dispatch.class).isEmpty());
        assertTrue(run.all(Notify.class).isEmpty());
        assertTrue(run.state().systems().isEmpty());
    }

    @Test
    void shouldApproveAndDispatchByPolicyOnceAdmitted() {
        final Run run = held(ctx()).apply(received());

        run.apply(admitted(ID));

        assertEquals(RequestStatus.IN_PROGRESS, run.state().status());
        assertEquals(List.of("RECEIVED", "APPROVED", "DISPATCHED", "DISPATCHED", "DISPATCHED"), run.auditTypes());
        assertEquals(List.of("billing", "crm", "search"), run.all(Dispatch.class).get(0).systems());
        // watchers hear of the request once, when it passes the gate, as a new request
        final List<Notify> notes = run.all(Notify.class);
        assertEquals(1, notes.size());
        assertEquals(RequestStatus.IN_PROGRESS, notes.get(0).status());
        assertNull(notes.get(0).previousStatus());
    }

    @Test
    void shouldWaitForAnApproverOrTheGracePeriodOnceAdmitted() {
        final Run manual = held(ctx(manual())).apply(received(), admitted(ID));
        final Run grace = held(ctx()).apply(request().graceDays(3).received(), admitted(ID));

        assertEquals(RequestStatus.PENDING_APPROVAL, manual.state().status());
        assertEquals(RequestStatus.SCHEDULED, grace.state().status());
        assertTrue(manual.all(Dispatch.class).isEmpty());
        assertTrue(grace.all(Dispatch.class).isEmpty());
    }

    @Test
    void shouldEndADuplicateWithoutDispatchingAndLinkItToTheFirstRequest() {
        final Run run = held(ctx()).apply(received());

        // When the gate finds an open request of the same subject and scope that came first
        run.apply(duplicateOf(ID, FIRST));

        // Then the request is cancelled by the ledger, linked to the first, and nothing goes out
        final RequestState s = run.state();
        assertEquals(RequestStatus.CANCELLED, s.status());
        assertEquals(FIRST, s.duplicateOf());
        assertEquals(NOW, s.finishedAt());
        assertTrue(s.systems().isEmpty());
        assertTrue(run.all(Dispatch.class).isEmpty());
        assertNull(s.subject(), "a finished request keeps no raw identifier");
        assertEquals(List.of("RECEIVED", "DUPLICATE"), run.auditTypes());
        final Audit fact = run.last(Audit.class).get(0);
        assertEquals(Ledger.LEDGER_ACTOR, fact.actor());
        assertEquals(RequestStatus.CANCELLED, fact.status());
        assertTrue(fact.detail().contains(FIRST), fact.detail());
        final Notify note = run.last(Notify.class).get(0);
        assertEquals(RequestStatus.CANCELLED, note.status());
        assertNull(note.previousStatus());
    }

    @Test
    void shouldRecordTheDuplicateOnTheFirstRequestAndJudgeTheLaterOneItsDuplicate() {
        final Run run = held(ctx()).apply(received(), admitted(ID));
        final RequestState before = run.state();

        run.apply(duplicateFiled(ID, "req-2", "support-tool"));

        final Audit fact = run.last(Audit.class).get(0);
        assertEquals("DUPLICATE_RECEIVED", fact.type());
        assertEquals(Ledger.LEDGER_ACTOR, fact.actor());
        assertTrue(fact.detail().contains("req-2"), fact.detail());
        assertTrue(fact.detail().contains("support-tool"), fact.detail());
        assertEquals(before.withAuditSeq(before.auditSeq() + 1), run.state());
        assertEquals(List.of(new Judged("req-2", before.subjectKey(), new Verdict.DuplicateOf(ID))),
                run.last(Judged.class));
        assertEquals(2, run.last().size());
    }

    @Test
    void shouldAdmitTheLaterRequestWhenTheFirstEndedBeforeItHeardOfIt() {
        // Given a first request rejected (or cancelled) a moment ago, which the gate, one hop behind, still saw open
        final Run run = held(ctx(manual())).apply(received(), admitted(ID), reject("filed by mistake"));
        assertEquals(RequestStatus.REJECTED, run.state().status());
        final RequestState before = run.state();

        // When it is told a later request of its subject was judged its duplicate
        run.apply(duplicateFiled(ID, "req-2", "support-tool"));

        // Then it answers that the later request goes on, and changes nothing of its own
        assertEquals(List.of(new Judged("req-2", before.subjectKey(), new Verdict.Admitted())), run.last());
        assertSame(before, run.state());
    }

    @Test
    void shouldAdmitTheLaterRequestWhenTheFirstIsAlreadyErased() {
        final Run run = held(ctx()).apply(received(), admitted(ID));
        run.state().systems().forEach(target -> run.apply(done(target.name(), 1L)));
        assertEquals(RequestStatus.COMPLETED, run.state().status());

        run.apply(duplicateFiled(ID, "req-2", null));

        assertEquals(List.of(new Judged("req-2", run.state().subjectKey(), new Verdict.Admitted())), run.last());
    }

    @Test
    void shouldIgnoreAVerdictForARequestAlreadyJudged() {
        // Given an admitted request (as every request stored before the gate existed: never held in RECEIVED)
        final Run run = held(ctx()).apply(received(), admitted(ID));
        final RequestState before = run.state();

        // When a verdict comes again, or a contrary one
        run.apply(admitted(ID));
        assertTrue(run.last().isEmpty());
        run.apply(duplicateOf(ID, FIRST));

        // Then nothing changes: it is never cancelled after it went on
        assertSame(before, run.state());
        assertTrue(run.last().isEmpty());
    }

    @Test
    void shouldIgnoreAVerdictForARequestEndedWhileHeld() {
        final Run run = held(ctx()).apply(received(), reject("filed by mistake"));
        final RequestState before = run.state();

        run.apply(admitted(ID));

        assertEquals(RequestStatus.REJECTED, run.state().status());
        assertSame(before, run.state());
        assertTrue(run.all(Dispatch.class).isEmpty());
    }

    @Test
    void shouldRefuseAVerdictForAnUnknownRequest() {
        final Ledger.Transition t = Ledger.apply(null, admitted("nobody"), ctx());

        assertEquals(1, t.outputs().size());
        assertTrue(((Refused) t.outputs().get(0)).reason().contains("nobody"));
    }

    @Test
    void shouldKeepACallbackThatArrivesWhileHeldAndApplyItAtDispatch() {
        final Run run = held(ctx()).apply(received(), done("billing", 4L));
        assertEquals(RequestStatus.RECEIVED, run.state().status());

        run.apply(admitted(ID));

        assertEquals(SystemStatus.DONE, run.system("billing").status());
        assertEquals(Long.valueOf(4L), run.system("billing").itemsErased());
    }
}
