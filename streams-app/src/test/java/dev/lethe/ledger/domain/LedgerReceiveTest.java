package dev.lethe.ledger.domain;

import static dev.lethe.ledger.domain.LedgerFixtures.ADS;
import static dev.lethe.ledger.domain.LedgerFixtures.BILLING;
import static dev.lethe.ledger.domain.LedgerFixtures.CRM;
import static dev.lethe.ledger.domain.LedgerFixtures.EMAIL;
import static dev.lethe.ledger.domain.LedgerFixtures.ID;
import static dev.lethe.ledger.domain.LedgerFixtures.KR_SHOP;
import static dev.lethe.ledger.domain.LedgerFixtures.NOW;
import static dev.lethe.ledger.domain.LedgerFixtures.PHONE;
import static dev.lethe.ledger.domain.LedgerFixtures.REQUESTED_AT;
import static dev.lethe.ledger.domain.LedgerFixtures.SEARCH;
import static dev.lethe.ledger.domain.LedgerFixtures.SUBJECT;
import static dev.lethe.ledger.domain.LedgerFixtures.SUBJECT_KEY;
import static dev.lethe.ledger.domain.LedgerFixtures.ctx;
import static dev.lethe.ledger.domain.LedgerFixtures.received;
import static dev.lethe.ledger.domain.LedgerFixtures.request;
import static dev.lethe.ledger.domain.LedgerFixtures.run;
import static dev.lethe.ledger.domain.LedgerFixtures.system;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.ledger.domain.LedgerFixtures.Run;
import dev.lethe.ledger.domain.LedgerOutput.Audit;
import dev.lethe.ledger.domain.LedgerOutput.Dispatch;
import dev.lethe.ledger.domain.LedgerOutput.Finished;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Receiving a request under the default (automatic approval) policy, and routing it to systems. */
class LedgerReceiveTest {

    private static List<String> targets(Run run) {
        return run.state().systems().stream().map(SystemTarget::name).toList();
    }

    @Test
    void shouldAuditReceiptThenApproveAutomaticallyAndDispatchToEveryMatchingSystem() {
        // When a GDPR request for a user id and an e-mail arrives under the default policy
        final Run run = run(ctx()).apply(received());

        // Then it is received, approved by policy and dispatched to billing, crm and search
        final RequestState s = run.state();
        assertEquals(RequestStatus.IN_PROGRESS, s.status());
        assertEquals(List.of("billing", "crm", "search"), targets(run));
        for (SystemTarget t : s.systems()) {
            assertEquals(SystemStatus.DISPATCHED, t.status(), t.name());
            assertEquals(1, t.attempts(), t.name());
            assertEquals(NOW, t.updatedAt(), t.name());
            assertNull(t.itemsErased());
            assertNull(t.detail());
            assertNull(t.legalBasis());
        }
        assertEquals(List.of("RECEIVED", "APPROVED", "DISPATCHED", "DISPATCHED", "DISPATCHED"), run.auditTypes());
        final List<Audit> audits = run.all(Audit.class);
        assertEquals("submitter:accounts", audits.get(0).actor());
        assertEquals(Ledger.AUTO_ACTOR, audits.get(1).actor());
        assertEquals(List.of("billing", "crm", "search"),
                audits.subList(2, 5).stream().map(Audit::system).toList());
        audits.forEach(a -> assertEquals(SUBJECT_KEY, a.subjectKey()));
        audits.forEach(a -> assertEquals(ID, a.requestId()));
    }

    @Test
    void shouldEmitOneDispatchListingEveryTargetWithRawIdentifiersAndDeadline() {
        final Run run = run(ctx()).apply(received());

        final List<Dispatch> dispatches = run.all(Dispatch.class);
        assertEquals(1, dispatches.size());
        final Dispatch d = dispatches.get(0);
        assertEquals(List.of("billing", "crm", "search"), d.systems());
        assertEquals(ID, d.requestId());
        assertEquals(SUBJECT_KEY, d.subjectKey());
        assertEquals(SUBJECT, d.subject());
        assertEquals(List.of(EMAIL), d.identifiers());
        assertEquals(List.of("s3://media-prod/u-1842/avatar.png"), d.objects());
        assertEquals("GDPR", d.jurisdiction());
        assertEquals(run.state().deadline(), d.deadline());
        assertEquals(java.time.Instant.parse("2026-04-02T09:00:00Z"), d.deadline());
        assertEquals(1, d.attempt());
        assertFalse(d.reminder());
        assertEquals(NOW, d.issuedAt());
        assertEquals(ID + "/billing,crm,search/1", d.eventId());
    }

    @Test
    void shouldFreezeTheRequestAsFiledInTheState() {
        final RequestState s = run(ctx()).apply(received()).state();

        assertEquals(ID, s.requestId());
        assertEquals(SUBJECT_KEY, s.subjectKey());
        assertEquals(SUBJECT, s.subject());
        assertEquals(List.of(EMAIL), s.identifiers());
        assertEquals(List.of("email", "user_id"), s.namespaces());
        assertEquals("GDPR", s.jurisdiction());
        assertEquals("account_deleted", s.reason());
        assertEquals("accounts-service", s.source());
        assertEquals(REQUESTED_AT, s.requestedAt());
        assertEquals(NOW, s.updatedAt());
        assertNull(s.finishedAt());
        assertTrue(s.earlyCallbacks().isEmpty());
    }

    @Test
    void shouldAuditTheSourceAsActorWhenNobodySubmittedTheRequest() {
        final Run run = run(ctx()).apply(request().submittedBy(null).received());

        assertEquals("accounts-service", run.all(Audit.class).get(0).actor());
    }

    @Test
    void shouldRouteOnlyToSystemsHoldingOneOfTheRequestsNamespaces() {
        // Given a request that names only the subject's user id
        final Run run = run(ctx()).apply(request().identifiers().received());

        // Then crm (e-mail only) and ads (device ids) are not asked
        assertEquals(List.of("user_id"), run.state().namespaces());
        assertEquals(List.of("billing", "search"), targets(run));
    }

    @Test
    void shouldCountTheSubjectAndEveryIdentifierAsTheRequestsNamespaces() {
        final SystemInfo phones = system("sms-gateway", Set.of("phone"));
        final Run run = run(ctx(List.of(BILLING, CRM, phones, ADS)))
                .apply(request().identifiers(EMAIL, PHONE).received());

        assertEquals(List.of("email", "phone", "user_id"), run.state().namespaces());
        assertEquals(List.of("billing", "crm", "sms-gateway"), targets(run));
    }

    @Test
    void shouldRouteToSystemsWithoutJurisdictionsOrWithTheRequestsJurisdiction() {
        // Given kr-shop holds user ids of PIPA subjects only
        final Run gdpr = run(ctx()).apply(request().jurisdiction("GDPR").received());
        final Run pipa = run(ctx()).apply(request().jurisdiction("PIPA").received());

        assertEquals(List.of("billing", "crm", "search"), targets(gdpr));
        assertEquals(List.of("billing", "crm", "kr-shop", "search"), targets(pipa));
    }

    @Test
    void shouldNarrowRoutingToTheScopesSystems() {
        final Run run = run(ctx()).apply(request().only("crm", "search", "ads").received());

        // ads is named in the scope but holds none of the request's namespaces
        assertEquals(List.of("crm", "search"), targets(run));
        assertEquals(List.of("crm", "search"), run.all(Dispatch.class).get(0).systems());
    }

    @Test
    void shouldNeverRouteToAnExcludedSystem() {
        final Run run = run(ctx()).apply(request().exclude("crm").received());

        assertEquals(List.of("billing", "search"), targets(run));
    }

    @Test
    void shouldApplyExclusionAfterTheScopesSystems() {
        final Run run = run(ctx()).apply(request().only("crm", "search").exclude("search").received());

        assertEquals(List.of("crm"), targets(run));
    }

    @Test
    void shouldSortTargetsByNameWhateverTheRegistryOrder() {
        final Run run = run(ctx(List.of(SEARCH, CRM, KR_SHOP, BILLING)))
                .apply(request().jurisdiction("PIPA").received());

        assertEquals(List.of("billing", "crm", "kr-shop", "search"), targets(run));
        assertEquals(List.of("billing", "crm", "kr-shop", "search"), run.all(Dispatch.class).get(0).systems());
    }

    @Test
    void shouldKeepARequestOpenAndUnroutedWhenNoSystemMatches() {
        // Given a registry where nothing holds user ids or e-mails
        final Run run = run(ctx(List.of(ADS))).apply(received());

        // Then nothing is dispatched and the request stays open for a person (LedgerAttentionTest)
        final RequestState s = run.state();
        assertEquals(RequestStatus.IN_PROGRESS, s.status());
        assertEquals(List.of(Attention.UNROUTED), s.attention());
        assertTrue(s.systems().isEmpty());
        assertNull(s.finishedAt());
        assertTrue(run.all(Dispatch.class).isEmpty());
        assertEquals(List.of("RECEIVED", "APPROVED", "UNROUTED"), run.auditTypes());
        assertTrue(run.all(Finished.class).isEmpty());
    }

    @Test
    void shouldKeepARequestOpenAndUnroutedWhenTheScopeExcludesEverySystem() {
        final Run run = run(ctx()).apply(request().exclude("billing", "crm", "search").received());

        assertEquals(RequestStatus.IN_PROGRESS, run.state().status());
        assertTrue(run.auditTypes().contains("UNROUTED"));
        assertTrue(run.last(Audit.class).get(run.last(Audit.class).size() - 1).detail()
                .contains("within the request's scope"));
    }

    @Test
    void shouldIgnoreTheSameRequestIdReceivedTwice() {
        // Given a request already dispatched
        final Run run = run(ctx()).apply(received());
        final RequestState before = run.state();

        // When the same request id arrives again (a replay), even with other content
        run.apply(request().jurisdiction("CCPA").identifiers().received());

        // Then nothing changes and nothing is emitted
        assertSame(before, run.state());
        assertTrue(run.last().isEmpty());
    }

    @Test
    void shouldIgnoreTheSameRequestIdReceivedAgainAfterItFinished() {
        final Run run = run(ctx()).apply(request().only("billing").received(), LedgerFixtures.done("billing", 1L));
        assertEquals(RequestStatus.COMPLETED, run.state().status());
        final RequestState before = run.state();

        run.apply(received());

        assertSame(before, run.state());
        assertTrue(run.last().isEmpty());
    }

    @Test
    void shouldFreezeTargetsSoALaterRegistryChangeDoesNotRewriteThem() {
        // Given a request dispatched to billing, crm and search
        final Run run = run(ctx()).apply(received());

        // When billing answers under a context whose registry no longer knows billing
        final Ledger.Transition t = Ledger.apply(run.state(), LedgerFixtures.done("billing", 3L),
                new LedgerContext(NOW, List.of(CRM), LedgerPolicy.defaults()));

        // Then the request still targets all three and billing is settled
        assertEquals(List.of("billing", "crm", "search"),
                t.state().systems().stream().map(SystemTarget::name).toList());
        assertEquals(SystemStatus.DONE, t.state().system("billing").orElseThrow().status());
    }
}
