package dev.lethe.ledger.topology;

import static dev.lethe.avro.CallbackOutcome.DONE;
import static dev.lethe.avro.CallbackOutcome.FAILED;
import static dev.lethe.avro.CallbackOutcome.NOT_FOUND;
import static dev.lethe.avro.CallbackOutcome.PROGRESS;
import static dev.lethe.avro.CallbackOutcome.RETAINED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.avro.AuditFact;
import dev.lethe.avro.DeadLetter;
import dev.lethe.avro.ErasureEvent;
import dev.lethe.avro.ErasureRecord;
import dev.lethe.avro.ErasureRequested;
import dev.lethe.avro.RequestState;
import dev.lethe.avro.RequestStatus;
import dev.lethe.avro.SystemCallback;
import dev.lethe.avro.SystemState;
import dev.lethe.avro.SystemStatus;
import dev.lethe.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

class LedgerTopologyTest {

    private static final String ID = "7f6c3c1e-4b8e-4a57-9e51-0c7a6f1d2b9a";

    @Test
    void shouldDispatchToMatchingSystemsAndCompleteWhenAllAnswer() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            // Given three systems, two of which hold the request's namespaces
            ledger.register("billing", "user_id", "email");
            ledger.register("crm", "email");
            ledger.register("telemetry", "device_id");

            // When the request is filed
            ledger.file(ID);

            // Then one erasure event asks billing and crm, keyed by the subject key
            final List<KeyValue<String, ErasureEvent>> events = ledger.events.readKeyValuesToList();
            assertEquals(1, events.size());
            assertEquals(ledger.subjectKey(), events.get(0).key);
            assertEquals(List.of("billing", "crm"), events.get(0).value.getSystems());
            assertEquals("u-1842", events.get(0).value.getSubject().getValue());
            assertEquals(RequestStatus.IN_PROGRESS, ledger.state(ID).getStatus());

            // When both answer
            ledger.callBack(ledger.callback(ID, "billing", DONE, 12L));
            assertTrue(ledger.dataset.isEmpty());
            ledger.callBack(ledger.callback(ID, "crm", NOT_FOUND, null));

            // Then the request is completed and one dataset record is written under the subject key
            final RequestState state = ledger.state(ID);
            assertEquals(RequestStatus.COMPLETED, state.getStatus());
            final List<KeyValue<String, ErasureRecord>> records = ledger.dataset.readKeyValuesToList();
            assertEquals(1, records.size());
            assertEquals(ledger.subjectKey(), records.get(0).key);
            assertEquals(ID, records.get(0).value.getRequestId());
            assertEquals(List.of("email", "user_id"), records.get(0).value.getNamespaces());
            assertEquals(Map.of("billing", SystemStatus.DONE, "crm", SystemStatus.NOT_FOUND),
                    records.get(0).value.getSystems().stream().collect(Collectors.toMap(
                            o -> o.getName(), o -> o.getStatus())));
            assertTrue(ledger.dlq.isEmpty());
        }
    }

    @Test
    void shouldKeepNoRawIdentifierInAuditDatasetOrFinishedState() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            ledger.register("billing", "user_id", "email");
            ledger.file(ID);
            final SystemCallback chatty = ledger.callback(ID, "billing", DONE, 3L);
            chatty.setDetail("deleted rows for KIM@example.com and u-1842");
            ledger.callBack(chatty);

            final List<AuditFact> facts = ledger.audit.readValuesToList();
            assertFalse(facts.isEmpty());
            for (AuditFact fact : facts) {
                assertNoIdentifier(fact.toString());
            }
            assertNoIdentifier(ledger.dataset.readValuesToList().toString());
            final RequestState finished = ledger.state(ID);
            assertNoIdentifier(finished.toString());
            assertNull(finished.getSubject());
            assertTrue(finished.getIdentifiers().isEmpty());
            assertTrue(finished.getObjects().isEmpty());
            assertEquals(ledger.subjectKey(), finished.getSubjectKey());
        }
    }

    @Test
    void shouldNumberAuditFactsOfARequestWithoutGaps() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            ledger.register("billing", "user_id");
            ledger.file(ID);
            ledger.callBack(ledger.callback(ID, "billing", PROGRESS, 5L));
            ledger.callBack(ledger.callback(ID, "billing", DONE, 9L));
            final List<Integer> seqs = ledger.audit.readValuesToList().stream().map(AuditFact::getSeq).toList();
            final List<Integer> expected = new ArrayList<>();
            for (int i = 1; i <= seqs.size(); i++) {
                expected.add(i);
            }
            assertEquals(expected, seqs);
        }
    }

    @Test
    void shouldKeepEachRequestsAuditTrailInItsStoreInOrder() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            final String other = "0b4a7d3c-1111-4c2e-8d3f-5a6b7c8d9e0f";
            ledger.register("billing", "user_id");
            ledger.file(ID);
            ledger.file(other, "u-2");
            ledger.callBack(ledger.callback(ID, "billing", DONE, 2L));
            final List<AuditFact> published = ledger.audit.readValuesToList().stream()
                    .filter(f -> f.getRequestId().equals(ID)).toList();

            final org.apache.kafka.streams.state.KeyValueStore<String, List<AuditFact>> store =
                    ledger.driver.getKeyValueStore(LedgerNames.AUDIT_STORE);
            final List<AuditFact> stored = new ArrayList<>();
            try (var it = store.range(AuditKeys.first(ID), AuditKeys.last(ID))) {
                it.forEachRemaining(entry -> stored.addAll(entry.value));
            }
            assertEquals(published, stored);
            assertEquals("COMPLETED", stored.get(stored.size() - 1).getType());
        }
    }

    @Test
    void shouldDispatchAScheduledRequestOnlyWhenItsGracePeriodEnds() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            ledger.register("billing", "user_id");
            // Given a request with a 2-day grace period
            ledger.requests.pipeInput(ID, ErasureRequested.newBuilder(LedgerDriver.request(ID)).setGraceDays(2).build());
            assertEquals(RequestStatus.SCHEDULED, ledger.state(ID).getStatus());

            // When a day passes, nothing is sent
            ledger.driver.advanceWallClockTime(java.time.Duration.ofDays(1));
            assertTrue(ledger.events.isEmpty());
            assertEquals(RequestStatus.SCHEDULED, ledger.state(ID).getStatus());

            // When the grace period is over, the punctuator dispatches it
            ledger.driver.advanceWallClockTime(java.time.Duration.ofDays(1).plusMinutes(1));
            assertEquals(List.of("billing"), ledger.events.readValue().getSystems());
            assertEquals(RequestStatus.IN_PROGRESS, ledger.state(ID).getStatus());
            assertTrue(ledger.audit.readValuesToList().stream().anyMatch(f -> f.getType().equals("GRACE_ENDED")));
            // and the grace period's wake is gone: what is left (reminder, deadline) is in the future
            final org.apache.kafka.streams.state.KeyValueStore<String, String> due =
                    ledger.driver.getKeyValueStore(LedgerNames.DUE_STORE);
            final String now = String.format("%013d", LedgerDriver.START.plus(java.time.Duration.ofDays(2)
                    .plusMinutes(1)).toEpochMilli());
            try (var it = due.all()) {
                it.forEachRemaining(entry -> assertTrue(entry.key.compareTo(now) > 0, entry.key));
            }
        }
    }

    @Test
    void shouldNeverDispatchARequestCancelledDuringItsGracePeriod() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            ledger.register("billing", "user_id");
            ledger.requests.pipeInput(ID, ErasureRequested.newBuilder(LedgerDriver.request(ID)).setGraceDays(30).build());
            ledger.decisions.pipeInput(ID, dev.lethe.avro.Decision.newBuilder().setEventId("d-1").setRequestId(ID)
                    .setAt(LedgerDriver.START).setActor("approver")
                    .setAction(new dev.lethe.avro.Cancelled("the user came back")).build());
            assertEquals(RequestStatus.CANCELLED, ledger.state(ID).getStatus());

            ledger.driver.advanceWallClockTime(java.time.Duration.ofDays(31));

            assertTrue(ledger.events.isEmpty());
            assertEquals(RequestStatus.CANCELLED, ledger.state(ID).getStatus());
            assertNull(ledger.state(ID).getSubject());
        }
    }

    @Test
    void shouldKeepCallbackThatArrivesBeforeItsRequest() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            ledger.register("billing", "user_id");
            ledger.register("crm", "email");
            // Given both callbacks arrive before the request itself
            ledger.callBack(ledger.callback(ID, "billing", DONE, 4L));
            ledger.callBack(ledger.callback(ID, "crm", DONE, 1L));
            assertNull(ledger.state(ID).getStatus());
            assertTrue(ledger.dlq.isEmpty());

            // When the request arrives
            ledger.file(ID);

            // Then the kept callbacks are applied at dispatch and the request completes
            assertEquals(RequestStatus.COMPLETED, ledger.state(ID).getStatus());
            assertEquals(1, ledger.dataset.readValuesToList().size());
        }
    }

    @Test
    void shouldEndInTheSameStateWhateverTheOrderOrRepetitionOfCallbacks() {
        final List<String> systems = List.of("billing", "crm", "search");
        final Map<String, List<Object>> inOrder;
        final List<List<SystemCallback>> orders = new ArrayList<>();
        try (LedgerDriver reference = new LedgerDriver()) {
            systems.forEach(s -> reference.register(s, "user_id"));
            final List<SystemCallback> script = List.of(
                    reference.callback(ID, "billing", PROGRESS, 5L),
                    reference.callback(ID, "billing", DONE, 12L),
                    reference.callback(ID, "crm", FAILED, null),
                    reference.callback(ID, "search", PROGRESS, 100L),
                    reference.callback(ID, "search", RETAINED, 100L));
            reference.file(ID);
            script.forEach(reference::callBack);
            inOrder = outcome(reference.state(ID));
            final Random random = new Random(42);
            for (int i = 0; i < 6; i++) {
                final List<SystemCallback> shuffled = new ArrayList<>(script);
                shuffled.addAll(script.subList(0, 1 + random.nextInt(script.size() - 1)));
                Collections.shuffle(shuffled, random);
                orders.add(shuffled);
            }
        }
        for (List<SystemCallback> order : orders) {
            try (LedgerDriver ledger = new LedgerDriver()) {
                systems.forEach(s -> ledger.register(s, "user_id"));
                // half of the callbacks arrive before the request
                order.subList(0, order.size() / 2).forEach(ledger::callBack);
                ledger.file(ID);
                order.subList(order.size() / 2, order.size()).forEach(ledger::callBack);
                assertEquals(inOrder, outcome(ledger.state(ID)), "order " + order);
                assertTrue(ledger.dlq.isEmpty());
            }
        }
    }

    @Test
    void shouldSendUndecodableInputToTheDeadLetterTopicAndKeepRunning() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            ledger.register("billing", "user_id");
            // Given a poison record on erasure.requests
            ledger.rawRequests.pipeInput("not-avro".getBytes(StandardCharsets.UTF_8),
                    "{\"json\": true}".getBytes(StandardCharsets.UTF_8));

            // Then it is in the DLQ with its bytes (sealed under a data key of its own, issue 12) and the reason
            final TestRecord<byte[], DeadLetter> dead = ledger.dlq.readRecord();
            assertEquals(Topics.REQUESTS, dead.value().getSourceTopic());
            assertTrue(dead.value().getReason().contains("wire format"), dead.value().getReason());
            assertEquals("{\"json\": true}", new String(ledger.openedValue(dead.value()), StandardCharsets.UTF_8));

            // And the ledger still processes valid requests after it
            ledger.file(ID);
            assertEquals(RequestStatus.IN_PROGRESS, ledger.state(ID).getStatus());
        }
    }

    @Test
    void shouldRefuseARequestWhoseKeyIsNotItsId() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            ledger.requests.pipeInput("another-id", LedgerDriver.request(ID));
            final DeadLetter dead = ledger.dlq.readValue();
            assertTrue(dead.getReason().contains("is not the record's request id"), dead.getReason());
            assertNull(ledger.state(ID));
        }
    }

    @Test
    void shouldSendARequestFiledBeforeTheEpochToTheDlqAndKeepRunning() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            // Given a producer's request whose requestedAt no index key can hold (it used to stop the ledger)
            final ErasureRequested early = LedgerDriver.request(ID);
            early.setRequestedAt(Instant.parse("1969-12-31T23:59:59Z"));
            ledger.requests.pipeInput(ID, early);

            final DeadLetter dead = ledger.dlq.readValue();
            assertTrue(dead.getReason().contains("requestedAt"), dead.getReason());
            assertNull(ledger.state(ID));
            // And the ledger still applies the same request filed at a sane time
            ledger.file(ID);
            assertEquals(RequestStatus.IN_PROGRESS, ledger.state(ID).getStatus());
        }
    }

    @Test
    void shouldRefuseARetainedCallbackWithoutLegalBasis() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            ledger.register("billing", "user_id");
            ledger.file(ID);
            final SystemCallback noBasis = ledger.callback(ID, "billing", RETAINED, null);
            noBasis.setLegalBasis(null);
            ledger.callBack(noBasis);
            assertTrue(ledger.dlq.readValue().getReason().contains("legal basis"));
            assertEquals(SystemStatus.DISPATCHED, ledger.state(ID).getSystems().get(0).getStatus());
        }
    }

    @Test
    void shouldFreezeTargetsSoALaterRegistryChangeDoesNotRewriteThem() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            ledger.register("billing", "user_id");
            ledger.file(ID);
            // a system registered later, and billing retired, after dispatch
            ledger.register("crm", "user_id");
            ledger.systems.pipeInput("billing", null);
            ledger.callBack(ledger.callback(ID, "billing", DONE, 1L));
            final RequestState state = ledger.state(ID);
            assertEquals(List.of("billing"), state.getSystems().stream().map(SystemState::getName).toList());
            assertEquals(RequestStatus.COMPLETED, state.getStatus());
        }
    }

    private static Map<String, List<Object>> outcome(RequestState state) {
        final Map<String, List<Object>> outcome = state.getSystems().stream().collect(Collectors.toMap(
                SystemState::getName, s -> java.util.Arrays.asList(s.getStatus(), s.getItemsErased(), s.getDetail(),
                        s.getLegalBasis())));
        outcome.put("request", List.of(state.getStatus()));
        return outcome;
    }

    private static void assertNoIdentifier(String text) {
        assertFalse(text.toLowerCase().contains("kim@example.com"), text);
        assertFalse(text.contains("u-1842"), text);
    }
}
