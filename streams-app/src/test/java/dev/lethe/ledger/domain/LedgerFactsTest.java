package dev.lethe.ledger.domain;

import static dev.lethe.ledger.domain.LedgerFixtures.ID;
import static dev.lethe.ledger.domain.LedgerFixtures.admitted;
import static dev.lethe.ledger.domain.LedgerFixtures.ctx;
import static dev.lethe.ledger.domain.LedgerFixtures.done;
import static dev.lethe.ledger.domain.LedgerFixtures.held;
import static dev.lethe.ledger.domain.LedgerFixtures.received;
import static dev.lethe.ledger.domain.LedgerFixtures.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;

/** decide finds typed facts, evolve folds them, and apply is exactly the two plus the edge. */
class LedgerFactsTest {

    @Test
    void shouldDecideTypedFactsForAnAdmittedRequest() {
        final RequestState held = held(ctx()).apply(received()).state();

        final List<Fact> facts = Ledger.decide(held, admitted(ID), ctx());

        assertEquals(List.of(Fact.Approved.class, Fact.Dispatched.class),
                facts.stream().map(Object::getClass).toList());
        assertEquals(List.of("billing", "crm", "search"), ((Fact.Dispatched) facts.get(1)).targets().stream()
                .map(SystemTarget::name).toList());
    }

    @Test
    void shouldFoldTheDecidedFactsIntoTheStateApplyReaches() {
        final RequestState dispatched = run(ctx()).apply(received()).state();

        final List<Fact> facts = Ledger.decide(dispatched, done("billing", 3L), ctx());
        RequestState folded = dispatched;
        for (Fact fact : facts) {
            folded = Ledger.evolve(folded, fact);
        }

        assertInstanceOf(Fact.SystemAnswered.class, facts.get(0));
        assertEquals(Ledger.apply(dispatched, done("billing", 3L), ctx()).state(), folded);
    }

    @Test
    void shouldLeaveTheStateAsItIsForARefusal() {
        final RequestState dispatched = run(ctx()).apply(received()).state();
        final Fact refused = new Fact.Refused(LedgerFixtures.NOW, "no");

        assertSame(dispatched, Ledger.evolve(dispatched, refused));
    }
}
