package dev.lethe.ledger.topology;

import static dev.lethe.avro.CallbackOutcome.DONE;
import static dev.lethe.avro.CallbackOutcome.FAILED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.avro.Acknowledged;
import dev.lethe.avro.AuditFact;
import dev.lethe.avro.Cancelled;
import dev.lethe.avro.Notification;
import dev.lethe.avro.RequestStatus;
import dev.lethe.avro.RetryFailed;
import dev.lethe.avro.SystemStatus;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * Requests that need a person, through the real topology: an unrouted request is counted in the
 * stats store until it is routed again (against the registry as it is then) or cancelled; a
 * contradicting callback is counted until an officer acknowledges it.
 */
class LedgerAttentionTopologyTest {

    private static final String ID = "5a1f0e2d-3c4b-4a59-8e7d-6f5e4d3c2b1a";

    private static List<String> auditTypes(LedgerDriver ledger) {
        return ledger.audit.readValuesToList().stream().map(AuditFact::getType).toList();
    }

    private static KeyValueStore<String, Long> stats(LedgerDriver ledger) {
        return ledger.driver.getKeyValueStore(LedgerNames.STATS_STORE);
    }

    @Test
    void shouldKeepAnUnroutedRequestOpenCountedAndRouteItOnceASystemHoldsIt() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            // Given only a device-id system, a request for a user id and an e-mail reaches nobody
            ledger.register("ads", "device_id");
            ledger.file(ID);

            assertEquals(RequestStatus.IN_PROGRESS, ledger.state(ID).getStatus());
            assertEquals(List.of("UNROUTED"), ledger.state(ID).getAttention());
            assertTrue(ledger.events.isEmpty());
            assertTrue(ledger.dataset.isEmpty(), "nothing is recorded as erased");
            assertEquals(List.of("RECEIVED", "APPROVED", "UNROUTED"), auditTypes(ledger));
            assertEquals(1L, stats(ledger).get("attention"));
            assertEquals(1L, stats(ledger).get("attention|UNROUTED"));
            final List<Notification> notes = ledger.notifications.readValuesToList();
            assertEquals(List.of("ATTENTION", "STATUS_CHANGED"), notes.stream().map(Notification::getType).toList());

            // When a retry still finds no system, it is refused and nothing changes
            ledger.decide(ID, new RetryFailed(null));
            assertTrue(ledger.dlq.readValue().getReason().contains("still routed to no system"));
            assertEquals(List.of("UNROUTED"), ledger.state(ID).getAttention());

            // When billing is registered and an officer retries, the request goes to billing
            ledger.register("billing", "user_id");
            ledger.decide(ID, new RetryFailed("billing registered"));

            assertEquals(List.of("billing"), ledger.events.readValue().getSystems());
            assertEquals(List.of("REROUTED", "DISPATCHED"), auditTypes(ledger));
            assertTrue(ledger.state(ID).getAttention().isEmpty());
            assertNull(stats(ledger).get("attention"));
            assertNull(stats(ledger).get("attention|UNROUTED"));
            ledger.callBack(ledger.callback(ID, "billing", DONE, 2L));
            assertEquals(RequestStatus.COMPLETED, ledger.state(ID).getStatus());
        }
    }

    @Test
    void shouldCancelAnUnroutedRequestWithAReasonAndStopCountingIt() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            ledger.register("ads", "device_id");
            ledger.file(ID);

            ledger.decide(ID, new Cancelled("namespace typo, filed again"));

            assertEquals(RequestStatus.CANCELLED, ledger.state(ID).getStatus());
            assertTrue(ledger.dataset.isEmpty());
            assertNull(stats(ledger).get("attention"));
            assertEquals(1L, stats(ledger).get("status|CANCELLED"));
        }
    }

    @Test
    void shouldCountAContradictedRequestUntilAnOfficerAcknowledgesIt() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            ledger.register("billing", "user_id");
            ledger.register("crm", "email");
            ledger.file(ID);
            ledger.callBack(ledger.callback(ID, "billing", DONE, 3L));
            ledger.audit.readValuesToList();

            ledger.callBack(ledger.callback(ID, "billing", FAILED, null));

            assertEquals(SystemStatus.DONE, ledger.state(ID).getSystems().get(0).getStatus());
            assertEquals(List.of("FAILED"), ledger.state(ID).getSystems().get(0).getContradictions());
            assertEquals(List.of("CALLBACK_CONTRADICTED"), auditTypes(ledger));
            assertEquals(1L, stats(ledger).get("attention|CONTRADICTED"));
            assertTrue(ledger.dlq.isEmpty());

            ledger.decide(ID, new Acknowledged("billing's FAILED was a stale retry"));

            assertEquals(List.of("ACKNOWLEDGED"), auditTypes(ledger));
            assertTrue(ledger.state(ID).getAttention().isEmpty());
            assertNull(stats(ledger).get("attention|CONTRADICTED"));
        }
    }
}
