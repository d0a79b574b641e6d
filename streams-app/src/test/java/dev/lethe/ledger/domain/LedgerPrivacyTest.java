package dev.lethe.ledger.domain;

import static dev.lethe.ledger.domain.LedgerFixtures.EMAIL;
import static dev.lethe.ledger.domain.LedgerFixtures.PHONE;
import static dev.lethe.ledger.domain.LedgerFixtures.SUBJECT;
import static dev.lethe.ledger.domain.LedgerFixtures.SUBJECT_KEY;
import static dev.lethe.ledger.domain.LedgerFixtures.approve;
import static dev.lethe.ledger.domain.LedgerFixtures.callback;
import static dev.lethe.ledger.domain.LedgerFixtures.cancel;
import static dev.lethe.ledger.domain.LedgerFixtures.ctx;
import static dev.lethe.ledger.domain.LedgerFixtures.decision;
import static dev.lethe.ledger.domain.LedgerFixtures.done;
import static dev.lethe.ledger.domain.LedgerFixtures.failed;
import static dev.lethe.ledger.domain.LedgerFixtures.manual;
import static dev.lethe.ledger.domain.LedgerFixtures.notFound;
import static dev.lethe.ledger.domain.LedgerFixtures.progress;
import static dev.lethe.ledger.domain.LedgerFixtures.received;
import static dev.lethe.ledger.domain.LedgerFixtures.reject;
import static dev.lethe.ledger.domain.LedgerFixtures.request;
import static dev.lethe.ledger.domain.LedgerFixtures.retry;
import static dev.lethe.ledger.domain.LedgerFixtures.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.ledger.domain.LedgerFixtures.Run;
import dev.lethe.ledger.domain.LedgerOutput.Audit;
import dev.lethe.ledger.domain.LedgerOutput.Finished;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What the ledger keeps and publishes about a subject: never raw identifiers once done, never in the audit. */
class LedgerPrivacyTest {

    private static final List<String> RAW = List.of(SUBJECT.value(), EMAIL.value(), PHONE.value());

    /** Fails if any text field of any audit fact contains a raw identifier, in any letter case. */
    private static void assertNoRawIdentifierIn(List<Audit> audits, List<String> raw) {
        assertFalse(audits.isEmpty());
        for (Audit a : audits) {
            final String fields = Stream.of(a.requestId(), a.type(), a.actor(), a.system(), a.detail(),
                    a.subjectKey(), String.valueOf(a.status())).map(String::valueOf)
                    .reduce("", (x, y) -> x + "|" + y).toLowerCase(Locale.ROOT);
            for (String value : raw) {
                assertFalse(fields.contains(value.toLowerCase(Locale.ROOT)), () -> value + " leaked in " + a);
            }
        }
    }

    private static void assertNoRawIdentifierLeft(RequestState s) {
        assertNull(s.subject());
        assertTrue(s.identifiers().isEmpty());
        assertTrue(s.objects().isEmpty());
        assertTrue(s.earlyCallbacks().isEmpty());
        assertEquals(SUBJECT_KEY, s.subjectKey());
        assertEquals(List.of("email", "phone", "user_id"), s.namespaces());
    }

    @Test
    void shouldDropRawIdentifiersButKeepSubjectKeyAndNamespacesOnceCompleted() {
        // Given a request dispatched to billing, crm and search
        final Run run = run(ctx()).apply(request().identifiers(EMAIL, PHONE).received());
        assertEquals(SUBJECT, run.state().subject());

        // When every system has answered
        run.apply(done("billing", 1L), notFound("crm"), done("search", 2L));

        // Then only the pseudonym, the namespaces and the per-system evidence remain
        assertEquals(RequestStatus.COMPLETED, run.state().status());
        assertNoRawIdentifierLeft(run.state());
        assertEquals(3, run.state().systems().size());
        assertFalse(run.state().toString().contains(EMAIL.value()));
    }

    @Test
    void shouldRedactAnIdentifierWholeWhenItContainsAnotherOne() {
        // Given a user id that is the local part of the subject's e-mail address
        final Identifier userId = new Identifier("user_id", "kim.lee");
        final Identifier email = new Identifier("email", "kim.lee@corp.example");
        final Run run = run(ctx()).apply(request().subject(userId).identifiers(email).received());

        // When a partner quotes the e-mail
        run.apply(done("billing", 1L, "erased rows of KIM.LEE@corp.example"));

        // Then none of it is left, not even the domain part
        final String detail = run.state().system("billing").orElseThrow().detail();
        assertEquals("erased rows of [redacted]", detail);
    }

    @Test
    void shouldDropRawIdentifiersOnceCompletedWithExceptions() {
        final Run run = run(ctx()).apply(request().identifiers(EMAIL, PHONE).received(), done("billing", 1L),
                notFound("crm"), LedgerFixtures.retained("search", "tax law"));

        assertEquals(RequestStatus.COMPLETED_WITH_EXCEPTIONS, run.state().status());
        assertNoRawIdentifierLeft(run.state());
    }

    @Test
    void shouldDropRawIdentifiersOnceRejected() {
        final Run run = run(ctx(manual())).apply(request().identifiers(EMAIL, PHONE).received(), reject("no"));

        assertEquals(RequestStatus.REJECTED, run.state().status());
        assertNoRawIdentifierLeft(run.state());
    }

    @Test
    void shouldDropRawIdentifiersAndKeptCallbacksOnceCancelled() {
        final Run run = run(ctx()).apply(request().identifiers(EMAIL, PHONE).graceDays(3).received(),
                done("crm", 1L, "erased " + EMAIL.value()), cancel("withdrawn"));

        assertEquals(RequestStatus.CANCELLED, run.state().status());
        assertNoRawIdentifierLeft(run.state());
        assertFalse(run.state().toString().toLowerCase(Locale.ROOT).contains(EMAIL.value().toLowerCase(Locale.ROOT)));
    }

    @Test
    void shouldRedactAnIdentifierQuotedInAPartnersDetailWhateverItsCase() {
        // Given a request for Kim.Lee@Example.com
        final Run run = run(ctx()).apply(request().identifiers(EMAIL, PHONE).received());

        // When partners quote the subject's identifiers back in their answers
        run.apply(done("billing", 3L, "deleted 3 rows for kim.lee@example.com (user U-1842)"),
                failed("crm", "no such contact: KIM.LEE@EXAMPLE.COM"),
                callback("search", Outcome.RETAINED, null, "kept docs of +82-10-5555-0199",
                        "court hold on kim.lee@example.com"));

        // Then neither the audit trail nor the stored evidence carries them
        assertNoRawIdentifierIn(run.all(Audit.class), RAW);
        assertEquals("deleted 3 rows for [redacted] (user [redacted])", run.system("billing").detail());
        assertEquals("no such contact: [redacted]", run.system("crm").detail());
        assertEquals("kept docs of [redacted]", run.system("search").detail());
        assertEquals("court hold on [redacted]", run.system("search").legalBasis());
    }

    @Test
    void shouldRedactAnIdentifierQuotedInACallbackThatArrivedBeforeItsRequest() {
        final Run run = run(ctx()).apply(done("billing", 3L, "erased " + EMAIL.value()),
                callback("search", Outcome.RETAINED, null, null, "legal hold on " + SUBJECT.value()),
                request().identifiers(EMAIL, PHONE).received(), notFound("crm"));

        assertEquals(RequestStatus.COMPLETED_WITH_EXCEPTIONS, run.state().status());
        assertNoRawIdentifierIn(run.all(Audit.class), RAW);
        final Finished finished = run.all(Finished.class).get(0);
        final String evidence = finished.systems().toString().toLowerCase(Locale.ROOT);
        RAW.forEach(raw -> assertFalse(evidence.contains(raw.toLowerCase(Locale.ROOT)), raw));
    }

    @Test
    void shouldRedactAnIdentifierWithNonAsciiLettersWhateverItsCase() {
        final Identifier email = new Identifier("email", "Jörg.Müller@Example.de");
        final Run run = run(ctx()).apply(request().identifiers(email).received(),
                done("crm", 1L, "removed jörg.müller@example.de"), failed("search", "JÖRG.MÜLLER@EXAMPLE.DE?"));

        assertEquals("removed [redacted]", run.system("crm").detail());
        assertEquals("[redacted]?", run.system("search").detail());
        assertNoRawIdentifierIn(run.all(Audit.class), List.of(email.value(), "jörg.müller", "JÖRG.MÜLLER"));
    }

    @Test
    void shouldNotLeaveAPieceOfAnIdentifierWhereALongDetailIsCut() {
        // Given a detail longer than the ledger keeps, with the e-mail right where it is cut
        final String detail = "x".repeat(1_985) + " " + EMAIL.value() + " and more";

        final Run run = run(ctx()).apply(received(), failed("crm", detail));

        final String kept = run.system("crm").detail();
        assertTrue(kept.length() <= 2_000, "kept " + kept.length() + " chars");
        assertFalse(kept.toLowerCase(Locale.ROOT).contains("kim.lee@"), kept.substring(1_980));
    }

    @Test
    void shouldRedactIdentifiersQuotedInDecisionsByPeople() {
        // Given approvers who quote the subject in their notes and reasons
        final Run approved = run(ctx(manual())).apply(request().identifiers(EMAIL, PHONE).received(),
                decision(new Decision.Approve("verified " + EMAIL.value() + " by phone")),
                failed("crm", "x"), retry("crm"));
        final Run rejected = run(ctx(manual())).apply(request().identifiers(EMAIL, PHONE).received(),
                reject("duplicate of the request for " + EMAIL.value()));
        final Run cancelled = run(ctx()).apply(request().identifiers(EMAIL, PHONE).graceDays(2).received(),
                cancel(PHONE.value() + " called to withdraw"));

        // Then the audit trail never carries them
        assertNoRawIdentifierIn(approved.all(Audit.class), RAW);
        assertNoRawIdentifierIn(rejected.all(Audit.class), RAW);
        assertNoRawIdentifierIn(cancelled.all(Audit.class), RAW);
        assertEquals("duplicate of the request for [redacted]", rejected.all(Audit.class).get(2).detail());
    }

    @Test
    void shouldNeverPutARawIdentifierInAnyAuditFactOfAWholeLifecycle() {
        final Run run = run(ctx(manual())).apply(
                done("billing", 1L, "gone: " + SUBJECT.value()),
                request().identifiers(EMAIL, PHONE).received(),
                progress("crm", 2),
                approve(),
                failed("crm", "bounced " + EMAIL.value()),
                retry("crm"),
                done("crm", 2L, "deleted " + PHONE.value()),
                done("ads", 1L, "not ours: " + EMAIL.value()),
                LedgerFixtures.retained("search", "legal hold for " + EMAIL.value().toUpperCase(Locale.ROOT)));

        assertEquals(RequestStatus.COMPLETED_WITH_EXCEPTIONS, run.state().status());
        assertNoRawIdentifierIn(run.all(Audit.class), RAW);
    }

    @Test
    void shouldNumberAuditFactsOneTwoThreeWithoutGapsAcrossTransitions() {
        final Run run = run(ctx(manual())).apply(
                done("billing", 1L),                       // kept silently: no request yet
                request().received(),                      // RECEIVED, PENDING_APPROVAL
                progress("crm", 2),                        // CALLBACK_KEPT
                approve(),                                 // APPROVED, 3 x DISPATCHED, SYSTEM_DONE, SYSTEM_PROGRESS
                progress("crm", 1),                        // nothing: no change
                failed("crm", "x"),                        // SYSTEM_FAILED
                retry("crm"),                              // RETRY
                done("ads", 1L),                           // CALLBACK_NOT_TARGETED
                retry("billing"),                          // refused: no audit
                done("crm", 2L),                           // SYSTEM_DONE
                notFound("search"));                       // SYSTEM_NOT_FOUND, COMPLETED

        final List<Integer> seqs = run.all(Audit.class).stream().map(Audit::seq).toList();
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), seqs);
        assertEquals(15, run.state().auditSeq());
        assertEquals(List.of("RECEIVED", "PENDING_APPROVAL", "CALLBACK_KEPT", "APPROVED", "DISPATCHED",
                "DISPATCHED", "DISPATCHED", "SYSTEM_DONE", "SYSTEM_PROGRESS", "SYSTEM_FAILED", "RETRY",
                "CALLBACK_NOT_TARGETED", "SYSTEM_DONE", "SYSTEM_NOT_FOUND", "COMPLETED"), run.auditTypes());
    }

    @Test
    void shouldKeepTheAuditSequenceOfARequestAfterItFinished() {
        final Run run = run(ctx()).apply(request().only("billing").received(), done("billing", 1L));
        final int last = run.state().auditSeq();

        assertEquals(run.all(Audit.class).size(), last);
        run.apply(done("billing", 1L), received());
        assertEquals(last, run.state().auditSeq());
    }
}
