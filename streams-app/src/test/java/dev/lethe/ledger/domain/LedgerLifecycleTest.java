package dev.lethe.ledger.domain;

import static dev.lethe.ledger.domain.LedgerFixtures.EMAIL;
import static dev.lethe.ledger.domain.LedgerFixtures.NOW;
import static dev.lethe.ledger.domain.LedgerFixtures.REQUESTED_AT;
import static dev.lethe.ledger.domain.LedgerFixtures.approve;
import static dev.lethe.ledger.domain.LedgerFixtures.callback;
import static dev.lethe.ledger.domain.LedgerFixtures.ctx;
import static dev.lethe.ledger.domain.LedgerFixtures.decision;
import static dev.lethe.ledger.domain.LedgerFixtures.done;
import static dev.lethe.ledger.domain.LedgerFixtures.manual;
import static dev.lethe.ledger.domain.LedgerFixtures.notFound;
import static dev.lethe.ledger.domain.LedgerFixtures.received;
import static dev.lethe.ledger.domain.LedgerFixtures.reject;
import static dev.lethe.ledger.domain.LedgerFixtures.request;
import static dev.lethe.ledger.domain.LedgerFixtures.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.ledger.domain.LedgerFixtures.Run;
import dev.lethe.ledger.domain.LedgerOutput.Audit;
import dev.lethe.ledger.domain.LedgerOutput.Notify;
import dev.lethe.ledger.domain.LedgerOutput.Refused;
import dev.lethe.ledger.domain.LedgerOutput.Wake;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Approval rules, deadline extensions, overdue, notifications, manual evidence, duplicates, carried fields. */
class LedgerLifecycleTest {

    private static final Instant GDPR_DEADLINE = Instant.parse("2026-04-02T09:00:00Z");

    private static LedgerPolicy rules(String text) {
        return LedgerPolicy.defaults().withApproval(ApprovalPolicy.parse(text));
    }

    private static RequestStatus statusUnder(LedgerPolicy policy, String jurisdiction, String source) {
        return run(ctx(policy)).apply(request().jurisdiction(jurisdiction).source(source).received()).state().status();
    }

    // ---- approval policy

    @Test
    void shouldDecideApprovalByTheFirstMatchingRule() {
        final LedgerPolicy policy = rules("manual:GDPR+source=support-tool,auto:source=accounts-service,manual:PIPA");

        assertEquals(RequestStatus.PENDING_APPROVAL, statusUnder(policy, "GDPR", "support-tool"));
        assertEquals(RequestStatus.IN_PROGRESS, statusUnder(policy, "GDPR", "accounts-service"));
        assertEquals(RequestStatus.IN_PROGRESS, statusUnder(policy, "PIPA", "accounts-service"));
        assertEquals(RequestStatus.PENDING_APPROVAL, statusUnder(policy, "PIPA", "portal"));
        assertEquals(RequestStatus.IN_PROGRESS, statusUnder(policy, "CCPA", "portal"));
    }

    @Test
    void shouldNameTheDecidingRuleInTheAudit() {
        final Run run = run(ctx(rules("manual:PIPA,manual:source=portal"))).apply(request().source("portal").received());

        assertEquals("awaiting an approver (rule manual:source=portal)", run.all(Audit.class).get(1).detail());
    }

    // ---- deadline extensions

    @Test
    void shouldExtendAGdprDeadlineByTwoMonthsWithActorAndReason() {
        final Run run = run(ctx()).apply(received(),
                decision(new Decision.ExtendDeadline("complex request, many systems", null)));

        assertEquals(Instant.parse("2026-06-02T09:00:00Z"), run.state().deadline());
        assertEquals(GDPR_DEADLINE, run.state().baseDeadline());
        assertEquals(1, run.state().extensions());
        final Audit fact = run.last(Audit.class).get(0);
        assertEquals("DEADLINE_EXTENDED", fact.type());
        assertEquals("approver:alice", fact.actor());
        assertTrue(fact.detail().contains("complex request, many systems"), fact.detail());
        // and it asks to be woken just past the new deadline
        assertEquals(List.of(Instant.parse("2026-06-02T09:00:00.001Z")),
                run.last(Wake.class).stream().map(Wake::at).toList());
    }

    @Test
    void shouldRefuseAGdprExtensionBeyondTwoFurtherMonthsInTotal() {
        final Run run = run(ctx()).apply(received(),
                decision(new Decision.ExtendDeadline("first month", 30)),
                decision(new Decision.ExtendDeadline("second month", 31)));
        assertEquals(Instant.parse("2026-06-02T09:00:00Z"), run.state().deadline());

        run.apply(decision(new Decision.ExtendDeadline("one more day", 1)));

        assertEquals(1, run.last(Refused.class).size());
        assertTrue(run.last(Refused.class).get(0).reason().contains("P2M"), run.last(Refused.class).get(0).reason());
        assertEquals(Instant.parse("2026-06-02T09:00:00Z"), run.state().deadline());
        assertEquals(2, run.state().extensions());
    }

    @Test
    void shouldExtendCcpaOnlyOnceBy45Days() {
        final Run run = run(ctx()).apply(request().jurisdiction("CCPA").received(),
                decision(new Decision.ExtendDeadline("reasonably necessary", null)));
        final Instant extended = run.state().deadline();
        assertEquals(REQUESTED_AT.plus(java.time.Duration.ofDays(90)), extended);

        run.apply(decision(new Decision.ExtendDeadline("again", null)));

        assertEquals(1, run.last(Refused.class).size());
        assertEquals(extended, run.state().deadline());
    }

    @Test
    void shouldRefuseExtensionsThatThePolicyDoesNotAllowOrThatHaveNoReason() {
        final Run pipa = run(ctx()).apply(request().jurisdiction("PIPA").received(),
                decision(new Decision.ExtendDeadline("please", null)));
        assertTrue(pipa.last(Refused.class).get(0).reason().contains("PIPA deadlines cannot be extended"));

        final Run blank = run(ctx()).apply(received(), decision(new Decision.ExtendDeadline(" ", null)));
        assertEquals(1, blank.last(Refused.class).size());

        final Run negative = run(ctx()).apply(received(), decision(new Decision.ExtendDeadline("x", 0)));
        assertEquals(1, negative.last(Refused.class).size());
        assertEquals(GDPR_DEADLINE, negative.state().deadline());
    }

    @Test
    void shouldRefuseToExtendAFinishedRequest() {
        final Run run = run(ctx(List.of(LedgerFixtures.BILLING))).apply(received(), done("billing", 1L),
                decision(new Decision.ExtendDeadline("too late", null)));

        assertEquals(1, run.last(Refused.class).size());
    }

    // ---- overdue

    @Test
    void shouldAuditAndNotifyOverdueOnceWhenTheDeadlinePassesUnfinished() {
        final Run run = run(ctx()).apply(received(), done("billing", 1L));

        run.wakeAt(GDPR_DEADLINE.plusMillis(1));

        assertTrue(run.lastAuditTypes().contains("OVERDUE"), run.lastAuditTypes().toString());
        final Audit overdue = run.last(Audit.class).stream().filter(a -> a.type().equals("OVERDUE")).findFirst()
                .orElseThrow();
        assertTrue(overdue.detail().contains("crm,search"), overdue.detail());
        // crm's and search's own 30-day deadlines passed too, before the request's month
        assertEquals(List.of(Notify.SYSTEM_OVERDUE, Notify.SYSTEM_OVERDUE, Notify.OVERDUE),
                run.last(Notify.class).stream().map(Notify::type).toList());
        assertTrue(run.state().overdueAudited());
        assertTrue(run.state().overdue(GDPR_DEADLINE.plusMillis(1)));

        run.wakeAt(GDPR_DEADLINE.plusSeconds(3_600));
        assertFalse(run.lastAuditTypes().contains("OVERDUE"));
        assertEquals(RequestStatus.IN_PROGRESS, run.state().status());
    }

    @Test
    void shouldAuditOverdueAgainOnlyAfterAnExtendedDeadlinePasses() {
        final Run run = run(ctx()).apply(received()).wakeAt(GDPR_DEADLINE.plusMillis(1));
        run.apply(decision(new Decision.ExtendDeadline("regulator agreed", 10)));
        assertFalse(run.state().overdueAudited());

        run.wakeAt(GDPR_DEADLINE.plus(java.time.Duration.ofDays(5)));
        assertFalse(run.lastAuditTypes().contains("OVERDUE"));

        run.wakeAt(GDPR_DEADLINE.plus(java.time.Duration.ofDays(10)).plusMillis(1));
        assertTrue(run.lastAuditTypes().contains("OVERDUE"));
    }

    @Test
    void shouldAuditOverdueForARequestStillWaitingForApproval() {
        final Run run = run(ctx(manual())).apply(received()).wakeAt(GDPR_DEADLINE.plusMillis(1));

        assertEquals(List.of("OVERDUE"), run.lastAuditTypes());
        assertEquals(RequestStatus.PENDING_APPROVAL, run.state().status());
    }

    // ---- notifications

    @Test
    void shouldNotifyEveryStatusChangeWithThePreviousStatus() {
        final Run run = run(ctx(manual())).apply(received());
        Notify n = run.last(Notify.class).get(0);
        assertEquals(Notify.STATUS_CHANGED, n.type());
        assertEquals(RequestStatus.PENDING_APPROVAL, n.status());
        assertNull(n.previousStatus());

        run.apply(approve());
        n = run.last(Notify.class).get(0);
        assertEquals(RequestStatus.IN_PROGRESS, n.status());
        assertEquals(RequestStatus.PENDING_APPROVAL, n.previousStatus());

        run.apply(done("billing", 1L));
        assertTrue(run.last(Notify.class).isEmpty(), "no status change, no notification");

        run.apply(notFound("crm"), done("search", 1L));
        assertEquals(RequestStatus.COMPLETED, run.last(Notify.class).get(0).status());
    }

    @Test
    void shouldNotifyARejectionWithItsRedactedReason() {
        final Run run = run(ctx(manual())).apply(received(), reject("duplicate of the request for " + EMAIL.value()));

        final Notify n = run.last(Notify.class).get(0);
        assertEquals(RequestStatus.REJECTED, n.status());
        assertEquals("duplicate of the request for [redacted]", n.detail());
    }

    // ---- manual systems

    @Test
    void shouldRefuseAManualSystemsDoneWithoutEvidence() {
        final SystemInfo desk = new SystemInfo("desk", Set.of("email"), Set.of(), true, 14, 24, 5);
        final Run run = run(new LedgerContext(NOW, List.of(desk), LedgerPolicy.defaults())).apply(received());
        assertTrue(run.system("desk").manual());

        run.apply(done("desk", null));
        assertEquals(1, run.last(Refused.class).size());
        assertEquals(SystemStatus.DISPATCHED, run.system("desk").status());

        run.apply(done("desk", 3L, "deleted the ticket history by hand, ticket OPS-7"));
        assertEquals(SystemStatus.DONE, run.system("desk").status());
        assertEquals("deleted the ticket history by hand, ticket OPS-7", run.system("desk").detail());
        assertEquals(RequestStatus.COMPLETED, run.state().status());
    }

    @Test
    void shouldEndWithExceptionsWhenAManualSystemRetainsWithALegalBasis() {
        final SystemInfo desk = new SystemInfo("desk", Set.of("email"), Set.of(), true, 14, 24, 5);
        final Run run = run(new LedgerContext(NOW, List.of(desk), LedgerPolicy.defaults())).apply(received(),
                callback("desk", Outcome.RETAINED, null, "kept the signed contract", "contract law, 5 years"));

        assertEquals(RequestStatus.COMPLETED_WITH_EXCEPTIONS, run.state().status());
        assertEquals("contract law, 5 years", run.system("desk").legalBasis());
    }

    // ---- duplicates and carried fields

    @Test
    void shouldOnlyAuditADuplicate() {
        final Run run = run(ctx()).apply(received());
        final RequestState before = run.state();

        run.apply(decision(new Decision.DuplicateReceived("support-tool")));

        final Audit fact = run.last(Audit.class).get(0);
        assertEquals("DUPLICATE_RECEIVED", fact.type());
        assertEquals("approver:alice", fact.actor());
        assertTrue(fact.detail().contains("support-tool"));
        assertEquals(before.withAuditSeq(before.auditSeq() + 1), run.state());
        assertEquals(1, run.last().size());
    }

    @Test
    void shouldKeepTheFingerprintAndAuditHeadThroughEveryTransitionIncludingTheEnd() {
        final Run run = run(ctx(List.of(LedgerFixtures.BILLING))).apply(request().fingerprint("sha256:abc").received());
        assertEquals("sha256:abc", run.state().fingerprint());
        final RequestState headed = run.state().withAuditHead("head-1");

        final Ledger.Transition finished = Ledger.apply(headed, done("billing", 1L), ctx(List.of(LedgerFixtures.BILLING)));

        assertEquals(RequestStatus.COMPLETED, finished.state().status());
        assertEquals("sha256:abc", finished.state().fingerprint());
        assertEquals("head-1", finished.state().auditHead());
        assertNull(finished.state().subject());
    }
}
