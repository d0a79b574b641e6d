package dev.lethe.ledger.topology;

import static dev.lethe.avro.CallbackOutcome.DONE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.avro.AuditFact;
import dev.lethe.avro.RequestStatus;
import dev.lethe.avro.SubjectEntry;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/** The hash chain and the secondary indexes the processor keeps next to the ledger store. */
class LedgerIndexesTest {

    private static final String FIRST = "00000000-0000-4000-8000-000000000001";
    private static final String SECOND = "00000000-0000-4000-8000-000000000002";
    private static final String THIRD = "00000000-0000-4000-8000-000000000003";

    @Test
    void shouldChainEveryAuditFactToTheOneBefore() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            ledger.register("billing", "user_id");
            ledger.register("crm", "email");
            ledger.file(FIRST);
            ledger.callBack(ledger.callback(FIRST, "billing", DONE, 3L));
            ledger.callBack(ledger.callback(FIRST, "crm", DONE, 1L));

            final List<AuditFact> trail = ledger.audit.readValuesToList();

            assertTrue(trail.size() >= 5, "a filed, dispatched and completed request has several facts");
            assertNull(trail.get(0).getPrevHash());
            for (int i = 1; i < trail.size(); i++) {
                assertEquals(trail.get(i - 1).getHash(), trail.get(i).getPrevHash());
            }
            assertNull(AuditChain.verify(trail));
        }
    }

    @Test
    void shouldDetectAnEditedADroppedAndAReorderedFact() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            ledger.register("billing", "user_id");
            ledger.file(FIRST);
            ledger.callBack(ledger.callback(FIRST, "billing", DONE, 3L));
            final List<AuditFact> trail = ledger.audit.readValuesToList();

            final List<AuditFact> edited = new ArrayList<>(trail);
            edited.set(1, AuditFact.newBuilder(trail.get(1)).setDetail("nothing happened").build());
            final List<AuditFact> dropped = new ArrayList<>(trail);
            dropped.remove(1);
            final List<AuditFact> swapped = new ArrayList<>(trail);
            swapped.set(1, trail.get(2));
            swapped.set(2, trail.get(1));

            assertEquals("fact 2 does not match its hash", AuditChain.verify(edited));
            assertEquals("fact 2 has sequence number 3", AuditChain.verify(dropped));
            assertEquals("fact 2 has sequence number 3", AuditChain.verify(swapped));
        }
    }

    @Test
    void shouldListRequestsNewestFirstAndFinishedOnesByFinishTime() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            ledger.register("billing", "user_id");
            // three subjects, so the subject gate admits each request
            ledger.requests.pipeInput(FIRST, LedgerDriver.request(FIRST, "u-1"));
            ledger.requests.pipeInput(SECOND, withMinutes(SECOND, "u-2", 5));
            ledger.requests.pipeInput(THIRD, withMinutes(THIRD, "u-3", 2));
            ledger.callBack(ledger.callback(THIRD, "billing", DONE, 1L));

            assertEquals(List.of(SECOND, THIRD, FIRST), values(ledger.driver.getKeyValueStore(LedgerNames.BY_REQUESTED_STORE)));
            assertEquals(List.of(THIRD), values(ledger.driver.getKeyValueStore(LedgerNames.BY_FINISHED_STORE)));
            assertEquals(List.of(FIRST, SECOND), sorted(values(ledger.driver.getKeyValueStore(
                    LedgerNames.OPEN_BY_DEADLINE_STORE))), "only unfinished requests wait for a deadline");
        }
    }

    @Test
    void shouldCountRequestsPerStatusAndOwedErasuresPerSystem() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            ledger.register("billing", "user_id");
            ledger.register("crm", "email");
            ledger.file(FIRST, "u-1");
            ledger.file(SECOND, "u-2");
            final KeyValueStore<String, Long> stats = ledger.driver.getKeyValueStore(LedgerNames.STATS_STORE);
            assertEquals(2L, stats.get("status|IN_PROGRESS"));
            assertEquals(2L, stats.get("owed|billing"));

            ledger.callBack(ledger.callback(FIRST, "billing", DONE, 1L));
            ledger.callBack(ledger.callback(FIRST, "crm", DONE, 1L));

            assertEquals(1L, stats.get("status|IN_PROGRESS"));
            assertEquals(1L, stats.get("status|COMPLETED"));
            assertEquals(1L, stats.get("owed|billing"));
            assertEquals(1L, stats.get("owed|crm"));
            assertNull(stats.get("status|RECEIVED"), "a count that falls to zero is removed");
        }
    }

    @Test
    void shouldCountRequestsFiledAndFinishedPerDayForTheDashboard() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            ledger.register("billing", "user_id");
            ledger.file(FIRST, "u-1");
            ledger.file(SECOND, "u-2");
            final KeyValueStore<String, Long> stats = ledger.driver.getKeyValueStore(LedgerNames.STATS_STORE);

            ledger.callBack(ledger.callback(FIRST, "billing", DONE, 1L));

            assertEquals(2L, stats.get("filed|2026-03-01"), "each request once, on the UTC day it was filed");
            final List<KeyValue<String, Long>> finished = new ArrayList<>();
            try (KeyValueIterator<String, Long> it = stats.prefixScan("finished|",
                    new org.apache.kafka.common.serialization.StringSerializer())) {
                it.forEachRemaining(finished::add);
            }
            assertEquals(1, finished.size(), finished.toString());
            assertTrue(finished.get(0).key.matches("finished\\|COMPLETED\\|\\d{4}-\\d{2}-\\d{2}"), finished.toString());
            assertEquals(1L, finished.get(0).value);
        }
    }

    @Test
    void shouldCountEachSystemsAnswersAndTheirTimeSinceTheRequestWasFiled() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            ledger.register("billing", "user_id");
            ledger.register("crm", "email");
            ledger.file(FIRST, "u-1");
            final KeyValueStore<String, Long> stats = ledger.driver.getKeyValueStore(LedgerNames.STATS_STORE);

            // the ledger's time of an answer is its (wall-clock) time of processing
            ledger.driver.advanceWallClockTime(java.time.Duration.ofHours(2));
            ledger.callBack(ledger.callback(FIRST, "billing", DONE, 1L));
            ledger.callBack(ledger.callback(FIRST, "billing", DONE, 1L));

            assertEquals(1L, stats.get("answered|billing"), "a repeated answer is counted once");
            assertEquals(7200L, stats.get("answerSeconds|billing"), "from the request's filing to the answer");
            assertNull(stats.get("answered|crm"), "crm has not answered");
        }
    }

    @Test
    void shouldIndexEachSystemsOldestOpenObligationFirstAndMoveOnWhenItSettles() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            ledger.register("billing", "user_id");
            ledger.register("crm", "email");
            ledger.requests.pipeInput(SECOND, withMinutes(SECOND, "u-2", 5));
            ledger.requests.pipeInput(FIRST, LedgerDriver.request(FIRST, "u-1"));
            final KeyValueStore<String, String> owed = ledger.driver.getKeyValueStore(LedgerNames.OWED_SINCE_STORE);

            assertEquals(List.of(FIRST, SECOND), owedBy(owed, "billing"), "the earliest filed first, whatever the order of arrival");
            assertEquals(LedgerDriver.START, IndexKeys.owedSince(first(owed, "billing")));

            ledger.callBack(ledger.callback(FIRST, "billing", DONE, 1L));

            assertEquals(List.of(SECOND), owedBy(owed, "billing"), "billing's oldest moves on once it has answered");
            assertEquals(LedgerDriver.START.plusSeconds(300), IndexKeys.owedSince(first(owed, "billing")));
            assertEquals(List.of(FIRST, SECOND), owedBy(owed, "crm"), "crm still owes both");

            ledger.callBack(ledger.callback(FIRST, "crm", DONE, 1L));
            ledger.callBack(ledger.callback(SECOND, "billing", DONE, 1L));

            assertEquals(List.of(), owedBy(owed, "billing"));
            assertEquals(List.of(SECOND), owedBy(owed, "crm"));
        }
    }

    @Test
    void shouldCountAReplayedObligationOfAFinishedRequestFromItsReplayUntilItIsAnswered() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            ledger.register("billing", "user_id");
            ledger.file(FIRST, "u-1");
            ledger.callBack(ledger.callback(FIRST, "billing", DONE, 1L));
            final KeyValueStore<String, String> owed = ledger.driver.getKeyValueStore(LedgerNames.OWED_SINCE_STORE);
            assertEquals(List.of(), owedBy(owed, "billing"));

            ledger.driver.advanceWallClockTime(java.time.Duration.ofDays(3));
            ledger.decide(FIRST, new dev.lethe.avro.Replayed("billing", "restored from a backup"));

            assertEquals(List.of(FIRST), owedBy(owed, "billing"), "the finished request owes billing again");
            assertEquals(ledger.domainState(FIRST).system("billing").orElseThrow().updatedAt(),
                    IndexKeys.owedSince(first(owed, "billing")), "owed since the replay, not since the filing");
            assertTrue(IndexKeys.owedSince(first(owed, "billing")).isAfter(LedgerDriver.START.plus(java.time.Duration.ofDays(2))));

            ledger.callBack(ledger.callback(FIRST, "billing", DONE, 1L));

            assertEquals(List.of(), owedBy(owed, "billing"));
            assertEquals(List.of(), values(owed), "nothing of an answered obligation is left behind");
        }
    }

    /** The requests {@code system} owes, oldest first: one range scan of its prefix. */
    private static List<String> owedBy(KeyValueStore<String, String> owed, String system) {
        final List<String> ids = new ArrayList<>();
        try (KeyValueIterator<String, String> it = owed.range(IndexKeys.owedFirst(system), IndexKeys.owedLast(system))) {
            it.forEachRemaining((KeyValue<String, String> entry) -> ids.add(entry.value));
        }
        return ids;
    }

    private static String first(KeyValueStore<String, String> owed, String system) {
        try (KeyValueIterator<String, String> it = owed.range(IndexKeys.owedFirst(system), IndexKeys.owedLast(system))) {
            return it.next().key;
        }
    }

    @Test
    void shouldKeepEverySubjectsRequestsInTheSubjectIndex() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            ledger.register("billing", "user_id");
            ledger.file(FIRST);
            ledger.callBack(ledger.callback(FIRST, "billing", DONE, 1L));
            // filed once the first finished, so the subject gate admits it
            ledger.file(SECOND);

            final KeyValueStore<String, SubjectEntry> subjects = ledger.driver.getKeyValueStore(LedgerNames.SUBJECTS_STORE);
            final SubjectEntry done = subjects.get(IndexKeys.subject(ledger.subjectKey(), FIRST));
            final SubjectEntry open = subjects.get(IndexKeys.subject(ledger.subjectKey(), SECOND));

            assertEquals(RequestStatus.COMPLETED, done.getStatus());
            assertNotNull(done.getFinishedAt());
            assertEquals(RequestStatus.IN_PROGRESS, open.getStatus());
            assertNull(open.getFinishedAt());
        }
    }

    private static dev.lethe.avro.ErasureRequested withMinutes(String id, String userId, int minutes) {
        final dev.lethe.avro.ErasureRequested request = LedgerDriver.request(id, userId);
        request.setRequestedAt(LedgerDriver.START.plusSeconds(60L * minutes));
        return request;
    }

    private static List<String> values(KeyValueStore<String, String> store) {
        final List<String> values = new ArrayList<>();
        try (KeyValueIterator<String, String> it = store.all()) {
            it.forEachRemaining((KeyValue<String, String> entry) -> values.add(entry.value));
        }
        return values;
    }

    private static List<String> sorted(List<String> values) {
        return values.stream().sorted().toList();
    }
}
