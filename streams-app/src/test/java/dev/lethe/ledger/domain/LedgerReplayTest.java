package dev.lethe.ledger.domain;

import static dev.lethe.ledger.domain.LedgerFixtures.NOW;
import static dev.lethe.ledger.domain.LedgerFixtures.REGISTRY;
import static dev.lethe.ledger.domain.LedgerFixtures.SUBJECT_KEY;
import static dev.lethe.ledger.domain.LedgerFixtures.ctx;
import static dev.lethe.ledger.domain.LedgerFixtures.decision;
import static dev.lethe.ledger.domain.LedgerFixtures.done;
import static dev.lethe.ledger.domain.LedgerFixtures.notFound;
import static dev.lethe.ledger.domain.LedgerFixtures.received;
import static dev.lethe.ledger.domain.LedgerFixtures.run;
import static dev.lethe.ledger.domain.LedgerFixtures.system;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.ledger.domain.LedgerFixtures.Run;
import dev.lethe.ledger.domain.LedgerOutput.Dispatch;
import dev.lethe.ledger.domain.LedgerOutput.Finished;
import dev.lethe.ledger.domain.LedgerOutput.Refused;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code lethe replay} and {@code lethe cover}: a finished request gets a new obligation for one
 * system, sent the subject key (never an identifier, which a finished request no longer has),
 * chased and answered like any other, while the request stays COMPLETED.
 */
class LedgerReplayTest {

    /** Registered after the request finished; holds user ids. */
    private static final SystemInfo WAREHOUSE = system("warehouse", Set.of("user_id"));

    private static Run completed() {
        return run(ctx()).apply(received(), done("billing", 3L), notFound("crm"), done("search", 1L));
    }

    private static LedgerEvent.Decided replay(String system) {
        return decision(new Decision.Replay(system, false, "restored from a backup of 2026-03-01"));
    }

    private static LedgerEvent.Decided cover(String system) {
        return decision(new Decision.Replay(system, true, null));
    }

    private static Run withWarehouse(Run run) {
        final List<SystemInfo> systems = new ArrayList<>(REGISTRY);
        systems.add(WAREHOUSE);
        return run.registry(systems);
    }

    @Test
    void shouldSendAFinishedRequestAgainToARestoredSystemWithItsSubjectKeyAndNoIdentifier() {
        final Run run = completed().apply(replay("billing"));

        final List<Dispatch> sent = run.last(Dispatch.class);
        assertEquals(1, sent.size());
        assertEquals(List.of("billing"), sent.get(0).systems());
        assertEquals(new Identifier("subject_key", SUBJECT_KEY), sent.get(0).subject());
        assertEquals(List.of(), sent.get(0).identifiers());
        assertEquals(List.of(), sent.get(0).objects());
        assertEquals(2, sent.get(0).attempt());
        assertEquals(List.of("REPLAYED"), run.lastAuditTypes());
        assertEquals(RequestStatus.COMPLETED, run.state().status());
        assertEquals(SystemStatus.DISPATCHED, run.system("billing").status());
        assertEquals(SystemStatus.NOT_FOUND, run.system("crm").status());
    }

    @Test
    void shouldChaseAReplayedObligationAndShowItsAnswerInTheDataset() {
        final Run run = completed().apply(replay("billing"))
                .wakeAt(NOW.plus(Duration.ofHours(24)));

        assertEquals(List.of("REMINDED"), run.lastAuditTypes());
        assertEquals(List.of("billing"), run.last(Dispatch.class).get(0).systems());

        run.apply(done("billing", 2L));
        assertEquals(List.of("SYSTEM_DONE"), run.lastAuditTypes());
        assertEquals(SystemStatus.DONE, run.system("billing").status());
        assertEquals(RequestStatus.COMPLETED, run.state().status());
        final List<Finished> records = run.last(Finished.class);
        assertEquals(1, records.size());
        assertTrue(records.get(0).systems().stream().anyMatch(t -> t.name().equals("billing")
                && t.status() == SystemStatus.DONE));
    }

    @Test
    void shouldChangeNothingWhenReplayedAgainWhileTheSystemStillOwesAnAnswer() {
        final Run run = completed().apply(replay("billing"));
        final RequestState before = run.state();

        run.apply(replay("billing"));

        assertEquals(List.of(), run.last());
        assertEquals(before, run.state());
    }

    @Test
    void shouldCoverASystemRegisteredLaterThatHoldsTheRequestsNamespaces() {
        final Run run = withWarehouse(completed()).apply(cover("warehouse"));

        assertEquals(List.of("COVERED"), run.lastAuditTypes());
        assertEquals(List.of("warehouse"), run.last(Dispatch.class).get(0).systems());
        assertEquals(SystemStatus.DISPATCHED, run.system("warehouse").status());
        assertEquals(4, run.state().systems().size());

        run.apply(cover("warehouse"));
        assertEquals(List.of(), run.last(), "covering twice changes nothing");
    }

    @Test
    void refusesToCoverASystemThatHoldsNoneOfTheRequestsNamespaces() {
        final Run run = completed().apply(cover("ads"));

        assertEquals(1, run.last(Refused.class).size());
        assertTrue(run.last(Refused.class).get(0).reason().contains("holds none of namespaces"));
        assertEquals(3, run.state().systems().size());
    }

    @Test
    void refusesToReplayASystemTheRequestNeverTargetedOrAnUnfinishedRequest() {
        final Run finished = completed().apply(replay("ads"));
        assertTrue(finished.last(Refused.class).get(0).reason().contains("never targeted"));

        final Run open = run(ctx()).apply(received(), replay("billing"));
        assertTrue(open.last(Refused.class).get(0).reason().contains("only a COMPLETED request"));
        assertTrue(open.last(Dispatch.class).isEmpty());
    }

    @Test
    void shouldReplayAgainOnceTheReplayedObligationFailed() {
        Run run = completed().apply(replay("billing"));
        for (int hours = 24; run.system("billing").status() != SystemStatus.FAILED; hours += 24) {
            run = run.wakeAt(NOW.plus(Duration.ofHours(hours)));
        }
        assertEquals(List.of("ESCALATED"), run.lastAuditTypes());

        run.at(NOW.plus(Duration.ofDays(10))).apply(replay("billing"));

        assertEquals(List.of("REPLAYED"), run.lastAuditTypes());
        assertEquals(SystemStatus.DISPATCHED, run.system("billing").status());
    }
}
