package dev.lethe.ledger.domain;

import static dev.lethe.ledger.domain.LedgerFixtures.EMAIL;
import static dev.lethe.ledger.domain.LedgerFixtures.callback;
import static dev.lethe.ledger.domain.LedgerFixtures.ctx;
import static dev.lethe.ledger.domain.LedgerFixtures.done;
import static dev.lethe.ledger.domain.LedgerFixtures.failed;
import static dev.lethe.ledger.domain.LedgerFixtures.notFound;
import static dev.lethe.ledger.domain.LedgerFixtures.progress;
import static dev.lethe.ledger.domain.LedgerFixtures.received;
import static dev.lethe.ledger.domain.LedgerFixtures.retained;
import static dev.lethe.ledger.domain.LedgerFixtures.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lethe.ledger.domain.LedgerFixtures.Run;
import dev.lethe.ledger.domain.LedgerOutput.Audit;
import dev.lethe.ledger.domain.LedgerOutput.Dispatch;
import dev.lethe.ledger.domain.LedgerOutput.Finished;
import dev.lethe.ledger.domain.LedgerOutput.Refused;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The ledger's central promise: callbacks commute. Every delivery order of a request and its
 * callbacks — callbacks before the request, between each other, repeated — ends in the same
 * request status and the same evidence per system. The context's clock is fixed, so whole
 * {@link SystemTarget}s (timestamps included) can be compared.
 */
class LedgerOrderIndependenceTest {

    /** What must not depend on delivery order: the status and each system's answer (not how it is chased). */
    private record EndState(RequestStatus status, List<SystemTarget> systems) {
        static EndState of(RequestState s) {
            return new EndState(s.status(), s.systems().stream().map(t -> new SystemTarget(t.name(), t.status(),
                    t.attempts(), t.updatedAt(), t.itemsErased(), t.detail(), t.legalBasis())).toList());
        }
    }

    private static SystemTarget target(String name, SystemStatus status, Long items, String detail,
                                       String legalBasis) {
        return new SystemTarget(name, status, 1, LedgerFixtures.NOW, items, detail, legalBasis);
    }

    /** Calls {@code each} with every permutation of {@code items} (Heap's algorithm, n! orders). */
    private static <T> int permutations(List<T> items, Consumer<List<T>> each) {
        final List<T> a = new ArrayList<>(items);
        final int[] c = new int[a.size()];
        int count = 1;
        each.accept(List.copyOf(a));
        int i = 0;
        while (i < a.size()) {
            if (c[i] < i) {
                java.util.Collections.swap(a, i % 2 == 0 ? 0 : c[i], i);
                each.accept(List.copyOf(a));
                count++;
                c[i]++;
                i = 0;
            } else {
                c[i] = 0;
                i++;
            }
        }
        return count;
    }

    private static void assertSameOutcomeInEveryOrder(List<LedgerEvent> events, EndState expected) {
        final int orders = permutations(events, order -> {
            final Run run = run(ctx()).apply(order);
            final EndState actual = EndState.of(run.state());
            if (!expected.equals(actual)) {
                fail("order " + describe(order) + "\n expected " + expected + "\n but got  " + actual);
            }
            // and every order is accepted: nothing refused, one dispatch, at most one finish
            assertTrue(run.all(Refused.class).isEmpty(), () -> "refused in " + describe(order));
            assertEquals(1, run.all(Dispatch.class).size(), () -> describe(order));
            assertEquals(expected.status().finished() ? 1 : 0, run.all(Finished.class).size(),
                    () -> describe(order));
            final List<Integer> seqs = run.all(Audit.class).stream().map(Audit::seq).toList();
            for (int i = 0; i < seqs.size(); i++) {
                assertEquals(i + 1, seqs.get(i), () -> "audit seq gap in " + describe(order) + ": " + seqs);
            }
            if (expected.status().finished()) {
                assertNull(run.state().subject());
                assertTrue(run.state().earlyCallbacks().isEmpty());
            }
        });
        assertEquals(factorial(events.size()), orders);
    }

    private static int factorial(int n) {
        return n <= 1 ? 1 : n * factorial(n - 1);
    }

    private static String describe(List<LedgerEvent> order) {
        return order.stream().map(e -> e instanceof LedgerEvent.CalledBack cb
                ? cb.callback().system() + ":" + cb.callback().outcome() + "#" + cb.callback().eventId()
                : "REQUEST").toList().toString();
    }

    @Test
    void shouldEndInTheSameSettledStateWhateverTheOrderOfTheRequestAndItsCallbacks() {
        // Given a request for billing, crm and search, and callbacks that progress, fail, settle and repeat
        final LedgerEvent.CalledBack searchRetained = retained("search", "AML: records kept 5 years");
        final List<LedgerEvent> events = List.of(
                received(),
                progress("billing", 5),
                done("billing", 12L, "deleted invoices of " + EMAIL.value().toUpperCase()),
                failed("crm", "timeout"),
                progress("crm", 3),
                notFound("crm"),
                searchRetained,
                searchRetained);

        // When they are delivered in each of the 8! orders, Then the outcome is always the same
        assertSameOutcomeInEveryOrder(events, new EndState(RequestStatus.COMPLETED_WITH_EXCEPTIONS, List.of(
                target("billing", SystemStatus.DONE, 12L, "deleted invoices of [redacted]", null),
                target("crm", SystemStatus.NOT_FOUND, null, null, null),
                target("search", SystemStatus.RETAINED, null, "kept invoices", "AML: records kept 5 years"))));
    }

    @Test
    void shouldEndInTheSameOpenStateWhateverTheOrderWhenASystemStaysFailed() {
        // Given crm fails (reported twice) and also reports progress, in any order
        final LedgerEvent.CalledBack crmFailed = failed("crm", "connection refused");
        final List<LedgerEvent> events = List.of(
                received(),
                progress("crm", 7),
                crmFailed,
                progress("crm", 2),
                crmFailed,
                progress("billing", 40),
                notFound("search"));

        assertSameOutcomeInEveryOrder(events, new EndState(RequestStatus.IN_PROGRESS, List.of(
                new SystemTarget("billing", SystemStatus.IN_PROGRESS, 1, LedgerFixtures.NOW, 40L, null, null),
                target("crm", SystemStatus.FAILED, 7L, "connection refused", null),
                target("search", SystemStatus.NOT_FOUND, null, null, null))));
    }

    @Test
    void shouldLetTheSettlingCallbacksCountWinOverProgressInEveryOrder() {
        // Given progress reports larger and smaller than the final count, and a final answer without one
        final List<LedgerEvent> events = List.of(
                received(),
                progress("billing", 50),
                done("billing", 30L),
                progress("crm", 8),
                done("crm", null),
                callback("search", Outcome.PROGRESS, 1L, null, null));

        assertSameOutcomeInEveryOrder(events, new EndState(RequestStatus.IN_PROGRESS, List.of(
                target("billing", SystemStatus.DONE, 30L, null, null),
                target("crm", SystemStatus.DONE, null, null, null),
                new SystemTarget("search", SystemStatus.IN_PROGRESS, 1, LedgerFixtures.NOW, 1L, null, null))));
    }

    @Test
    void shouldEndInTheSameStateWhenCallbacksForAnUntargetedSystemAreMixedIn() {
        final List<LedgerEvent> events = List.of(
                received(),
                done("ads", 1L),
                done("billing", 2L),
                notFound("crm"),
                done("search", 3L));

        assertSameOutcomeInEveryOrder(events, new EndState(RequestStatus.COMPLETED, List.of(
                target("billing", SystemStatus.DONE, 2L, null, null),
                target("crm", SystemStatus.NOT_FOUND, null, null, null),
                target("search", SystemStatus.DONE, 3L, null, null))));
    }
}
