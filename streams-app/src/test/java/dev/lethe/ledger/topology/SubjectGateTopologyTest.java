package dev.lethe.ledger.topology;

import static dev.lethe.avro.CallbackOutcome.DONE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.avro.Admission;
import dev.lethe.avro.Admitted;
import dev.lethe.avro.AuditFact;
import dev.lethe.avro.DuplicateFiled;
import dev.lethe.avro.DuplicateOf;
import dev.lethe.avro.ErasureEvent;
import dev.lethe.avro.ErasureRequested;
import dev.lethe.avro.RequestStatus;
import dev.lethe.avro.Scope;
import dev.lethe.avro.SubjectEntry;
import dev.lethe.schemas.Topics;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * The subject gate: requests for one subject filed back to back end as one erasure per system,
 * decided in the stream by the subject index, in the order the subject's requests reach it.
 */
class SubjectGateTopologyTest {

    private static final String FIRST = "1b1c3a52-0000-4000-8000-000000000001";
    private static final String SECOND = "1b1c3a52-0000-4000-8000-000000000002";
    private static final String THIRD = "1b1c3a52-0000-4000-8000-000000000003";

    @Test
    void shouldDispatchOnceWhenTwoRequestsForOneSubjectArriveBackToBack() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            ledger.register("billing", "user_id");
            ledger.register("crm", "email");

            // When two requests for the same subject and scope are filed one right after the other
            ledger.file(FIRST);
            ledger.file(SECOND);

            // Then one erasure event per system goes out, for the first request
            final List<ErasureEvent> events = ledger.events.readValuesToList();
            assertEquals(Map.of("billing", 1, "crm", 1), perSystem(events));
            events.forEach(event -> assertEquals(FIRST, event.getRequestId()));
            assertEquals(RequestStatus.IN_PROGRESS, ledger.state(FIRST).getStatus());
            // and the second ends, nothing dispatched, linked to the first
            assertEquals(RequestStatus.CANCELLED, ledger.state(SECOND).getStatus());
            assertTrue(ledger.state(SECOND).getSystems().isEmpty());
            assertEquals(FIRST, ledger.state(SECOND).getDuplicateOf());
            // and each trail says so: the first records the duplicate, the second why it ended
            final List<AuditFact> facts = ledger.audit.readValuesToList();
            assertTrue(types(facts, FIRST).contains("DUPLICATE_RECEIVED"), types(facts, FIRST).toString());
            assertEquals(List.of("RECEIVED", "DUPLICATE"), types(facts, SECOND));
            // and the subject index links it, so no later request is ever judged its duplicate
            final KeyValueStore<String, SubjectEntry> subjects = ledger.driver.getKeyValueStore(
                    LedgerNames.SUBJECTS_STORE);
            assertEquals(FIRST, subjects.get(IndexKeys.subject(ledger.subjectKey(), SECOND)).getDuplicateOf());
            assertTrue(ledger.dlq.isEmpty());
        }
    }

    @Test
    void shouldTellTheFirstOfEveryLaterRequestEvenWhileTheFirstIsStillHeld() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            // Given the subject index sees three new requests before the ledger has moved any of them on
            // (what racing submissions look like from the gate)
            final TestInputTopic<String, SubjectEntry> index = ledger.driver.createInputTopic(Topics.SUBJECT_INDEX,
                    ledger.serdes.key().serializer(), ledger.serdes.subjectEntry().serializer());
            final TestOutputTopic<String, Admission> admissions = ledger.driver.createOutputTopic(Topics.ADMISSIONS,
                    ledger.serdes.key().deserializer(), ledger.serdes.admission().deserializer());
            for (String id : List.of(FIRST, SECOND, THIRD)) {
                index.pipeInput(ledger.subjectKey(), SubjectEntry.newBuilder().setSubjectKey(ledger.subjectKey())
                        .setRequestId(id).setStatus(RequestStatus.RECEIVED).setRequestedAt(LedgerDriver.START)
                        .setSource("portal").build());
            }

            // Then the first is admitted and told of each of the others: its own ledger, which knows whether it
            // is still open, judges them (a duplicate is never judged one of a duplicate)
            final List<KeyValue<String, Admission>> verdicts = admissions.readKeyValuesToList();
            assertEquals(List.of(FIRST, FIRST, FIRST), verdicts.stream().map(v -> v.key).toList());
            assertTrue(verdicts.get(0).value.getVerdict() instanceof Admitted);
            assertEquals(new DuplicateFiled(SECOND, "portal"), verdicts.get(1).value.getVerdict());
            assertEquals(new DuplicateFiled(THIRD, "portal"), verdicts.get(2).value.getVerdict());
            verdicts.forEach(v -> assertEquals(v.key, v.value.getRequestId()));
        }
    }

    @Test
    void shouldDropTheEntryOfAReleasedRequestAndNeverJudgeIt() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            final TestInputTopic<String, SubjectEntry> index = ledger.driver.createInputTopic(Topics.SUBJECT_INDEX,
                    ledger.serdes.key().serializer(), ledger.serdes.subjectEntry().serializer());
            final TestOutputTopic<String, Admission> admissions = ledger.driver.createOutputTopic(Topics.ADMISSIONS,
                    ledger.serdes.key().deserializer(), ledger.serdes.admission().deserializer());
            final KeyValueStore<String, SubjectEntry> subjects = ledger.driver.getKeyValueStore(
                    LedgerNames.SUBJECTS_STORE);
            final SubjectEntry finished = SubjectEntry.newBuilder().setSubjectKey(ledger.subjectKey())
                    .setRequestId(FIRST).setStatus(RequestStatus.COMPLETED).setRequestedAt(LedgerDriver.START)
                    .setFinishedAt(LedgerDriver.START).setSource("portal").build();
            index.pipeInput(ledger.subjectKey(), finished);
            assertEquals(finished, subjects.get(IndexKeys.subject(ledger.subjectKey(), FIRST)));

            // When the ledger releases it to the archive
            index.pipeInput(ledger.subjectKey(), SubjectEntry.newBuilder(finished).setReleased(true).build());

            // Then the subjects store holds it no more
            assertNull(subjects.get(IndexKeys.subject(ledger.subjectKey(), FIRST)));
            // and a released entry the store never held (as RECEIVED, whatever its status) is never judged
            index.pipeInput(ledger.subjectKey(), SubjectEntry.newBuilder().setSubjectKey(ledger.subjectKey())
                    .setRequestId(SECOND).setStatus(RequestStatus.RECEIVED).setRequestedAt(LedgerDriver.START)
                    .setSource("portal").setReleased(true).build());
            assertNull(subjects.get(IndexKeys.subject(ledger.subjectKey(), SECOND)));
            assertTrue(admissions.isEmpty(), "a released entry was judged");
        }
    }

    @Test
    void shouldNeverTurnADispatchedRequestIntoADuplicate() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            ledger.register("billing", "user_id");
            ledger.file(FIRST);
            ledger.events.readValuesToList();

            // When a contrary verdict reaches a request already dispatched (a replay, or a request of an older version)
            final TestInputTopic<String, Admission> admissions = ledger.driver.createInputTopic(Topics.ADMISSIONS,
                    ledger.serdes.key().serializer(), ledger.serdes.admission().serializer());
            admissions.pipeInput(FIRST, Admission.newBuilder().setRequestId(FIRST).setSubjectKey(ledger.subjectKey())
                    .setAt(LedgerDriver.START).setVerdict(new DuplicateOf(SECOND)).build());

            // Then it goes on as it was
            assertEquals(RequestStatus.IN_PROGRESS, ledger.state(FIRST).getStatus());
            assertNull(ledger.state(FIRST).getDuplicateOf());
            assertTrue(ledger.events.isEmpty());
            assertTrue(ledger.dlq.isEmpty());
        }
    }

    @Test
    void shouldAdmitTwoRequestsForOneSubjectWithDifferentScopes() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            ledger.register("billing", "user_id");
            ledger.register("crm", "email");

            ledger.file(FIRST);
            ledger.requests.pipeInput(SECOND, scoped(SECOND, List.of("crm"), List.of()));

            assertEquals(RequestStatus.IN_PROGRESS, ledger.state(FIRST).getStatus());
            assertEquals(RequestStatus.IN_PROGRESS, ledger.state(SECOND).getStatus());
            assertEquals(Map.of("billing", 1, "crm", 2), perSystem(ledger.events.readValuesToList()));
        }
    }

    @Test
    void shouldAdmitANewRequestForASubjectWhoseFirstRequestFinished() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            ledger.register("billing", "user_id");
            ledger.file(FIRST);
            ledger.callBack(ledger.callback(FIRST, "billing", DONE, 4L));
            assertEquals(RequestStatus.COMPLETED, ledger.state(FIRST).getStatus());

            // When the subject is filed again (its data came back)
            ledger.file(SECOND);

            // Then the new request goes out like the first
            assertEquals(RequestStatus.IN_PROGRESS, ledger.state(SECOND).getStatus());
            final List<ErasureEvent> events = ledger.events.readValuesToList();
            assertEquals(List.of(FIRST, SECOND), events.stream().map(ErasureEvent::getRequestId).toList());
        }
    }

    private static ErasureRequested scoped(String id, List<String> systems, List<String> exclude) {
        final ErasureRequested request = LedgerDriver.request(id);
        request.setScope(new Scope(systems, exclude));
        return request;
    }

    private static Map<String, Integer> perSystem(List<ErasureEvent> events) {
        final Map<String, Integer> counts = new TreeMap<>();
        events.forEach(event -> event.getSystems().forEach(system -> counts.merge(system, 1, Integer::sum)));
        return counts;
    }

    static List<String> types(List<AuditFact> facts, String requestId) {
        return facts.stream().filter(f -> f.getRequestId().equals(requestId)).map(AuditFact::getType).toList();
    }
}
