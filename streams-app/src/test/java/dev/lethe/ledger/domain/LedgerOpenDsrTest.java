package dev.lethe.ledger.domain;

import static dev.lethe.ledger.domain.LedgerFixtures.cancel;
import static dev.lethe.ledger.domain.LedgerFixtures.ctx;
import static dev.lethe.ledger.domain.LedgerFixtures.decision;
import static dev.lethe.ledger.domain.LedgerFixtures.done;
import static dev.lethe.ledger.domain.LedgerFixtures.manual;
import static dev.lethe.ledger.domain.LedgerFixtures.notFound;
import static dev.lethe.ledger.domain.LedgerFixtures.received;
import static dev.lethe.ledger.domain.LedgerFixtures.request;
import static dev.lethe.ledger.domain.LedgerFixtures.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.ledger.domain.LedgerFixtures.Run;
import dev.lethe.ledger.domain.LedgerOutput.Audit;
import dev.lethe.ledger.domain.LedgerOutput.Notify;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * OpenDSR in the fold: a request a portal filed keeps the portal and names it on each status
 * notification; a processor callback refused at the gateway is audited and changes nothing.
 */
class LedgerOpenDsrTest {

    private static final Portal PORTAL = new Portal("a7551968-d5d6-44b2-9831-815ac9017798", "submitter",
            "2026-04-01T09:00:00Z", List.of("https://portal.example/opendsr/callbacks"));

    private static LedgerEvent.Decided refused(String system) {
        return decision(new Decision.CallbackRefused(system, "the signature does not verify", "9c2e41d0"));
    }

    @Test
    void shouldAuditARefusedCallbackAndChangeNothingElse() {
        final Run run = run(ctx()).apply(received());
        final RequestState before = run.state();

        run.apply(refused("billing"));

        assertEquals(List.of("OPENDSR_CALLBACK_REFUSED"), run.lastAuditTypes());
        final Audit fact = run.last(Audit.class).get(0);
        assertEquals("billing", fact.system());
        assertTrue(fact.detail().contains("the signature does not verify"), fact.detail());
        assertTrue(fact.detail().contains("body-sha256=9c2e41d0"), fact.detail());
        assertEquals(1, run.last().size(), "only the audit fact: " + run.last());
        assertEquals(before.auditSeq() + 1, run.state().auditSeq());
        assertEquals(before, run.state().withAuditSeq(before.auditSeq()));
    }

    @Test
    void refusesToAuditARefusedCallbackAboutASystemTheRequestDoesNotTarget() {
        final Run run = run(ctx()).apply(received());
        final RequestState before = run.state();

        run.apply(refused("nowhere"));

        assertEquals(List.of(), run.lastAuditTypes());
        assertEquals(1, run.last(LedgerOutput.Refused.class).size());
        assertEquals(before, run.state());
    }

    @Test
    void shouldIgnoreARefusedCallbackAboutAFinishedRequest() {
        final Run run = run(ctx()).apply(received());
        run.state().systems().forEach(target -> run.apply(done(target.name(), 1L)));
        final RequestState before = run.state();
        assertTrue(before.status().finished(), before.status().toString());

        run.apply(refused("billing"));

        assertEquals(List.of(), run.last(), "no fact, no refusal: nothing for a forger to fill");
        assertEquals(before, run.state());
    }

    @Test
    void shouldIgnoreARefusedCallbackAboutASystemWhoseObligationIsClosed() {
        final Run run = run(ctx()).apply(received()).apply(done("billing", 3L));
        final RequestState before = run.state();

        run.apply(refused("billing"));

        assertEquals(List.of(), run.last());
        assertEquals(before, run.state());
    }

    @Test
    void shouldAuditAShortReasonOnly() {
        final Run run = run(ctx()).apply(received());

        run.apply(decision(new Decision.CallbackRefused("billing", "not issued to " + "x".repeat(5000), "9c2e41d0")));

        final Audit fact = run.last(Audit.class).get(0);
        assertTrue(fact.detail().length() < 400, fact.detail());
        assertTrue(fact.detail().contains("body-sha256=9c2e41d0"), fact.detail());
    }

    @Test
    void shouldNameThePortalOnEachStatusChangeOfARequestItFiled() {
        final Run run = run(ctx()).apply(request().portal(PORTAL).received());

        assertEquals(PORTAL, run.state().portal());
        run.apply(done("billing", 1L), notFound("crm"), done("search", 2L));

        final List<Notify> changes = run.all(Notify.class).stream()
                .filter(n -> n.type().equals(Notify.STATUS_CHANGED)).toList();
        assertEquals(List.of(RequestStatus.IN_PROGRESS, RequestStatus.COMPLETED),
                changes.stream().map(Notify::status).toList());
        changes.forEach(n -> assertEquals(PORTAL, n.portal()));
        assertEquals(PORTAL, run.state().portal(), "kept once finished: it names no subject");
        assertNull(run(ctx()).apply(received()).all(Notify.class).get(0).portal());
    }

    @Test
    void shouldNameThePortalWhenAPendingRequestIsCancelled() {
        final Run run = run(ctx(manual())).apply(request().portal(PORTAL).received(), cancel("withdrawn"));

        final List<Notify> changes = run.all(Notify.class);
        assertEquals(List.of(RequestStatus.PENDING_APPROVAL, RequestStatus.CANCELLED),
                changes.stream().map(Notify::status).toList());
        assertFalse(changes.stream().anyMatch(n -> n.portal() == null));
    }
}
