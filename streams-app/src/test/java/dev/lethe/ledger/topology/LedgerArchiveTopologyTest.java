package dev.lethe.ledger.topology;

import static dev.lethe.avro.CallbackOutcome.DONE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.avro.AuditFact;
import dev.lethe.avro.SubjectEntry;
import dev.lethe.ledger.archive.ArchiveView;
import dev.lethe.ledger.archive.ArchiveView.Archived;
import dev.lethe.ledger.domain.LedgerPolicy;
import dev.lethe.ledger.domain.RequestState;
import dev.lethe.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * The ledger's archive (issue 19): a finished and forgotten request is archived on
 * {@code erasure.archive}, released from the task stores once this instance's copy holds the same
 * state, and an event about it afterwards gives exactly what it gives on a request still stored.
 */
class LedgerArchiveTopologyTest {

    private static final String ID = "7f6c3c1e-4b8e-4a57-9e51-0c7a6f1d2b9a";
    private static final String OPEN = "0b8e4a57-7f6c-4a57-9e51-0c7a6f1d2b9a";
    private static final Duration FORGET_AFTER = Duration.ofMinutes(1);
    private static final Duration RELEASE_AFTER = Duration.ofSeconds(30);
    private static final Duration SCAN = LedgerProcessor.DUE_SCAN_INTERVAL;

    /** This instance's copy of the archive, fed only when a test says so from what the ledger wrote. */
    private static class FollowedArchive implements ArchiveView {

        private final Map<String, Archived> held = new HashMap<>();
        private final List<KeyValue<String, Archived>> written = new ArrayList<>();

        @Override
        public Archived get(String requestId) {
            return held.get(requestId);
        }

        /** Reads what the ledger archived since the last call (without following it yet). */
        List<KeyValue<String, Archived>> read(LedgerDriver ledger) {
            final List<KeyValue<String, Archived>> read = ledger.archive.readKeyValuesToList();
            written.addAll(read);
            return read;
        }

        /** Follows everything the ledger archived so far. */
        void follow(LedgerDriver ledger) {
            read(ledger);
            written.forEach(record -> held.put(record.key, record.value));
            written.clear();
        }
    }

    private static LedgerDriver ledger(ArchiveView view) {
        final LedgerDriver ledger = new LedgerDriver(LedgerPolicy.defaults(), new AppliedOffsets(), 1,
                new Privacy(LedgerDriver.SEALING, FORGET_AFTER), new Archiving(view, RELEASE_AFTER));
        ledger.register("billing", "user_id", "email");
        ledger.register("crm", "user_id");
        return ledger;
    }

    /** Files {@link #ID}, has billing and crm answer DONE, and lets {@link #FORGET_AFTER} pass. */
    private static void finishAndForget(LedgerDriver ledger) {
        ledger.file(ID);
        ledger.callBack(ledger.callback(ID, "billing", DONE, 3L));
        ledger.callBack(ledger.callback(ID, "crm", DONE, 1L));
        ledger.driver.advanceWallClockTime(FORGET_AFTER.plus(SCAN));
    }

    private static List<AuditFact> storedTrail(LedgerDriver ledger, String id) {
        final KeyValueStore<String, List<AuditFact>> audit = ledger.driver.getKeyValueStore(LedgerNames.AUDIT_STORE);
        final List<AuditFact> trail = new ArrayList<>();
        try (KeyValueIterator<String, List<AuditFact>> it = audit.range(AuditKeys.first(id), AuditKeys.last(id))) {
            it.forEachRemaining(entry -> trail.addAll(entry.value));
        }
        return trail;
    }

    @Test
    void shouldArchiveOnlyAFinishedRequestOnceItIsForgottenWithItsWholeTrailAndNoIdentifier() {
        final FollowedArchive archive = new FollowedArchive();
        try (LedgerDriver ledger = ledger(archive)) {
            ledger.file(OPEN, "u-77");
            ledger.file(ID);
            ledger.callBack(ledger.callback(ID, "billing", DONE, 3L));
            ledger.callBack(ledger.callback(ID, "crm", DONE, 1L));
            final List<AuditFact> facts = ledger.audit.readValuesToList().stream()
                    .filter(fact -> ID.equals(fact.getRequestId())).toList();
            // finished, but not forgotten yet: its data key still exists
            ledger.driver.advanceWallClockTime(FORGET_AFTER.minusSeconds(10));
            assertTrue(archive.read(ledger).isEmpty(), "archived before it was forgotten");

            ledger.driver.advanceWallClockTime(Duration.ofSeconds(10).plus(SCAN));

            final List<KeyValue<String, Archived>> archived = archive.read(ledger);
            assertEquals(List.of(ID), archived.stream().map(record -> record.key).toList(), "only the finished one");
            final Archived request = archived.get(0).value;
            assertNull(request.state().dataKey());
            assertFalse(request.state().holdsIdentifiers());
            assertEquals(ledger.domainState(ID), request.state());
            assertEquals(facts, request.trail());
            assertNull(AuditChain.verify(request.trail()));
            assertEquals(request.state().auditHead(), request.trail().get(request.trail().size() - 1).getHash());
            // archiving alone removes nothing
            assertNotNull(ledger.domainState(ID));
            assertEquals(facts, storedTrail(ledger, ID));
        }
    }

    @Test
    void shouldReleaseARequestOnlyOnceThisInstancesArchiveHoldsTheSameState() {
        final FollowedArchive archive = new FollowedArchive();
        try (LedgerDriver ledger = ledger(archive)) {
            finishAndForget(ledger);
            final List<AuditFact> trail = storedTrail(ledger, ID);
            assertEquals(1, archive.read(ledger).size());

            // the release wake comes while this instance's copy does not hold it yet: kept, asked again later
            ledger.driver.advanceWallClockTime(RELEASE_AFTER.plus(SCAN));
            assertNotNull(ledger.domainState(ID), "released before the archive held it");
            assertEquals(trail, storedTrail(ledger, ID));

            archive.follow(ledger);
            ledger.driver.advanceWallClockTime(RELEASE_AFTER.plus(SCAN));

            assertNull(ledger.domainState(ID), "still in the ledger store");
            assertTrue(storedTrail(ledger, ID).isEmpty(), "still in the audit store");
            assertEquals(trail, archive.get(ID).trail());
            assertTrue(archive.read(ledger).isEmpty(), "archived again though nothing changed");
        }
    }

    @Test
    void shouldNotReleaseARequestThatChangedSinceItWasArchived() {
        final FollowedArchive archive = new FollowedArchive();
        try (LedgerDriver ledger = ledger(archive)) {
            finishAndForget(ledger);
            archive.follow(ledger);
            // the copy holds the archived state, then the request changes before the release wake
            final Archived first = archive.get(ID);
            ledger.decide(ID, new dev.lethe.avro.Replayed("billing", "restored from the backup of 1 May"));

            ledger.driver.advanceWallClockTime(RELEASE_AFTER.plus(SCAN));

            assertNotNull(ledger.domainState(ID), "released though it changed since");
            assertEquals(first, archive.get(ID), "the copy was not fed again");
        }
    }

    /** What an event about a finished and forgotten request gives, and the request's trail afterwards. */
    private record Seen(List<Object> outputs, RequestState state, List<AuditFact> trail, Map<String, Object> indexes,
                        int tombstones, boolean inTaskStores) {
    }

    /** The stores that hold an entry per request, which a release takes out of the task stores. */
    private static final List<String> RELEASED_INDEXES = List.of(LedgerNames.BY_REQUESTED_STORE,
            LedgerNames.BY_FINISHED_STORE, LedgerNames.SUBJECTS_STORE);
    /** The stores a release leaves as they are: counts, and entries of open obligations and deadlines. */
    private static final List<String> KEPT_INDEXES = List.of(LedgerNames.OPEN_BY_DEADLINE_STORE,
            LedgerNames.OWED_SINCE_STORE, LedgerNames.STATS_STORE);

    /** Every entry of the list indexes, the subject index and the counts, by store and key. */
    private static Map<String, Object> indexes(LedgerDriver ledger) {
        final List<String> all = new ArrayList<>(RELEASED_INDEXES);
        all.addAll(KEPT_INDEXES);
        return entries(ledger, all);
    }

    /** Every entry of {@code stores}, by store and key. */
    private static Map<String, Object> entries(LedgerDriver ledger, List<String> stores) {
        final Map<String, Object> entries = new java.util.TreeMap<>();
        for (String name : stores) {
            final KeyValueStore<String, Object> store = ledger.driver.getKeyValueStore(name);
            try (KeyValueIterator<String, Object> it = store.all()) {
                it.forEachRemaining(entry -> entries.put(name + "/" + entry.key, entry.value));
            }
        }
        return entries;
    }

    /**
     * Runs {@code event} on {@link #ID} once it is finished and forgotten: released to the archive
     * when {@code released}, else still in the task stores (this instance's copy never holds it).
     */
    private static Seen after(boolean released, Consumer<LedgerDriver> event) {
        final FollowedArchive archive = new FollowedArchive();
        try (LedgerDriver ledger = ledger(archive)) {
            finishAndForget(ledger);
            if (released) {
                archive.follow(ledger);
            }
            ledger.driver.advanceWallClockTime(RELEASE_AFTER.plus(SCAN));
            assertEquals(released, ledger.domainState(ID) == null);
            ledger.events.readValuesToList();
            ledger.audit.readValuesToList();
            ledger.notifications.readValuesToList();
            ledger.dataset.readValuesToList();
            archive.read(ledger);

            event.accept(ledger);

            final List<Object> outputs = new ArrayList<>();
            outputs.addAll(ledger.events.readValuesToList());
            outputs.addAll(ledger.audit.readValuesToList());
            outputs.addAll(ledger.notifications.readValuesToList());
            outputs.addAll(ledger.dataset.readValuesToList());
            final List<KeyValue<String, Archived>> archived = archive.read(ledger);
            outputs.addAll(archived.stream().map(record -> record.value).filter(Objects::nonNull).toList());
            final int tombstones = (int) archived.stream().filter(record -> record.value == null).count();
            assertTrue(ledger.dlq.isEmpty(), "refused");
            archive.follow(ledger);
            final RequestState stored = ledger.domainState(ID);
            return stored != null
                    ? new Seen(outputs, stored, storedTrail(ledger, ID), indexes(ledger), tombstones, true)
                    : new Seen(outputs, archive.get(ID).state(), archive.get(ID).trail(), indexes(ledger), tombstones,
                    false);
        }
    }

    private static void assertSameAsStored(Consumer<LedgerDriver> event) {
        final Seen stored = after(false, event);
        final Seen archived = after(true, event);

        assertEquals(stored.outputs(), archived.outputs());
        assertEquals(stored.state(), archived.state());
        assertEquals(stored.trail(), archived.trail());
        assertEquals(0, stored.tombstones(), "a request still in the task stores was taken out of the archive");
        if (archived.inTaskStores()) {
            // back: its list and subject entries too, and the archive no longer holds the version it came from
            assertEquals(stored.indexes(), archived.indexes(), "the lists, the subject index and the counts");
            assertEquals(1, archived.tombstones(), "the archive still holds the version it came back from");
        } else {
            // not changed: still released, its list and subject entries only in the archive; the counts as stored
            assertEquals(filterKept(stored.indexes()), filterKept(archived.indexes()), "the counts");
            assertTrue(archived.indexes().keySet().stream().noneMatch(LedgerArchiveTopologyTest::isReleasedIndex),
                    archived.indexes().toString());
            assertEquals(0, archived.tombstones());
        }
        assertNull(AuditChain.verify(archived.trail()));
        assertEquals(archived.trail().size(),
                archived.trail().stream().map(AuditFact::getSeq).collect(Collectors.toSet()).size(), "a fact twice");
        assertEquals(archived.state().auditHead(), archived.trail().get(archived.trail().size() - 1).getHash());
    }

    @Test
    void shouldAnswerALateDoneCallbackOnAnArchivedRequestAsOnAStoredOne() {
        assertSameAsStored(ledger -> ledger.callBack(ledger.callback(ID, "billing", DONE, 5L)));
    }

    @Test
    void shouldAnswerAContradictingLateCallbackOnAnArchivedRequestAsOnAStoredOne() {
        assertSameAsStored(ledger -> ledger.callBack(ledger.callback(ID, "billing",
                dev.lethe.avro.CallbackOutcome.NOT_FOUND, 0L)));
    }

    @Test
    void shouldReplayAnArchivedRequestAsAStoredOne() {
        assertSameAsStored(ledger -> ledger.decide(ID,
                new dev.lethe.avro.Replayed("billing", "restored from the backup of 1 May")));
    }

    @Test
    void shouldCoverAnArchivedRequestAsAStoredOne() {
        assertSameAsStored(ledger -> ledger.decide(ID, new dev.lethe.avro.Covered("crm", "hand-checked")));
    }

    @Test
    void shouldTakeARedeliveredRequestRecordOfAnArchivedRequestAsOfAStoredOne() {
        assertSameAsStored(ledger -> ledger.file(ID));
    }

    @Test
    void shouldArchiveAgainARequestThatCameBackAndFinishedAgainAndReleaseIt() {
        final FollowedArchive archive = new FollowedArchive();
        try (LedgerDriver ledger = ledger(archive)) {
            finishAndForget(ledger);
            archive.follow(ledger);
            ledger.driver.advanceWallClockTime(RELEASE_AFTER.plus(SCAN));
            assertNull(ledger.domainState(ID));
            final List<AuditFact> archivedTrail = archive.get(ID).trail();

            ledger.decide(ID, new dev.lethe.avro.Replayed("billing", "restored from the backup of 1 May"));
            // back in the task stores, its archived trail first and the replay's facts after it
            final List<AuditFact> back = storedTrail(ledger, ID);
            assertEquals(archivedTrail, back.subList(0, archivedTrail.size()));
            assertTrue(back.size() > archivedTrail.size());
            ledger.callBack(ledger.callback(ID, "billing", DONE, 2L));

            final List<KeyValue<String, Archived>> again = archive.read(ledger);
            final Archived last = again.get(again.size() - 1).value;
            assertEquals(ledger.domainState(ID), last.state());
            assertEquals(storedTrail(ledger, ID), last.trail());
            assertNull(AuditChain.verify(last.trail()));
            archive.follow(ledger);
            ledger.driver.advanceWallClockTime(RELEASE_AFTER.plus(SCAN));
            assertNull(ledger.domainState(ID), "not released again");
            assertTrue(storedTrail(ledger, ID).isEmpty());
            assertEquals(last, archive.get(ID));
            assertEquals(Map.of(), entriesOf(ledger, ID), "its entries stayed after the second release");
        }
    }

    private static boolean isReleasedIndex(String key) {
        return RELEASED_INDEXES.stream().anyMatch(name -> key.startsWith(name + "/"));
    }

    private static Map<String, Object> filterKept(Map<String, Object> indexes) {
        final Map<String, Object> kept = new java.util.TreeMap<>(indexes);
        kept.keySet().removeIf(LedgerArchiveTopologyTest::isReleasedIndex);
        return kept;
    }

    /** The entries of request {@code id} in by-requested, by-finished and subjects, by store and key. */
    private static Map<String, Object> entriesOf(LedgerDriver ledger, String id) {
        final Map<String, Object> of = new java.util.TreeMap<>();
        entries(ledger, RELEASED_INDEXES).forEach((key, value) -> {
            if (id.equals(value) || value instanceof SubjectEntry entry && id.equals(entry.getRequestId())) {
                of.put(key, value);
            }
        });
        return of;
    }

    /** What the ledger wrote on {@code erasure.subject-index} (the subjects processor reads it in the driver). */
    private static TestOutputTopic<String, SubjectEntry> subjectIndex(LedgerDriver ledger) {
        return ledger.driver.createOutputTopic(Topics.SUBJECT_INDEX, ledger.serdes.key().deserializer(),
                ledger.serdes.subjectEntry().deserializer());
    }

    @Test
    void shouldTakeAReleasedRequestsListAndSubjectEntriesOutOfTheTaskStoresButKeepItsCounts() {
        final FollowedArchive archive = new FollowedArchive();
        try (LedgerDriver ledger = ledger(archive)) {
            ledger.file(OPEN, "u-77");
            finishAndForget(ledger);
            archive.follow(ledger);
            final TestOutputTopic<String, SubjectEntry> index = subjectIndex(ledger);
            index.readRecordsToList();
            final RequestState state = ledger.domainState(ID);
            final Map<String, Object> entries = entriesOf(ledger, ID);
            assertEquals(Set.of(LedgerNames.BY_REQUESTED_STORE + "/" + IndexKeys.newestFirst(state.requestedAt(), ID),
                    LedgerNames.BY_FINISHED_STORE + "/" + IndexKeys.newestFirst(state.finishedAt(), ID),
                    LedgerNames.SUBJECTS_STORE + "/" + IndexKeys.subject(state.subjectKey(), ID)), entries.keySet());
            final Map<String, Object> open = entriesOf(ledger, OPEN);
            final Map<String, Object> counts = entries(ledger, KEPT_INDEXES);

            ledger.driver.advanceWallClockTime(RELEASE_AFTER.plus(SCAN));

            assertNull(ledger.domainState(ID), "not released");
            assertEquals(Map.of(), entriesOf(ledger, ID), "its entries stayed in the task stores");
            assertEquals(counts, entries(ledger, KEPT_INDEXES), "the counts changed");
            assertEquals(open, entriesOf(ledger, OPEN), "another request's entries changed");
            final List<KeyValue<String, SubjectEntry>> told = index.readKeyValuesToList();
            assertEquals(1, told.size(), told.toString());
            assertEquals(state.subjectKey(), told.get(0).key);
            assertEquals(ID, told.get(0).value.getRequestId());
            assertTrue(told.get(0).value.getReleased(), "the subject index was not told of the release");
        }
    }

    /**
     * Runs {@code event} on {@link #ID} once it is archived and released, and checks it came back
     * whole: its trail, its list and subject entries, and the archive no longer holding it.
     */
    private static void assertComesBackWhole(Consumer<LedgerDriver> event) {
        final FollowedArchive archive = new FollowedArchive();
        try (LedgerDriver ledger = ledger(archive)) {
            finishAndForget(ledger);
            final Map<String, Object> entries = entriesOf(ledger, ID);
            archive.follow(ledger);
            ledger.driver.advanceWallClockTime(RELEASE_AFTER.plus(SCAN));
            assertNull(ledger.domainState(ID));
            assertEquals(Map.of(), entriesOf(ledger, ID));
            final List<AuditFact> archivedTrail = archive.get(ID).trail();
            final TestOutputTopic<String, SubjectEntry> index = subjectIndex(ledger);
            index.readRecordsToList();

            event.accept(ledger);

            final RequestState back = ledger.domainState(ID);
            assertNotNull(back, "not back in the ledger store");
            final List<AuditFact> trail = storedTrail(ledger, ID);
            assertEquals(archivedTrail, trail.subList(0, archivedTrail.size()), "its archived trail is not back");
            final Map<String, Object> now = entriesOf(ledger, ID);
            assertEquals(entries.keySet(), now.keySet(), "its list and subject entries are not back");
            final SubjectEntry subject = (SubjectEntry) now.get(
                    LedgerNames.SUBJECTS_STORE + "/" + IndexKeys.subject(back.subjectKey(), ID));
            assertFalse(subject.getReleased());
            assertEquals(back.status().name(), subject.getStatus().name());
            final List<KeyValue<String, SubjectEntry>> told = index.readKeyValuesToList();
            assertFalse(told.isEmpty(), "the subject index was not told");
            assertEquals(back.subjectKey(), told.get(0).key);
            assertEquals(ID, told.get(0).value.getRequestId());
            assertTrue(told.stream().noneMatch(entry -> entry.value.getReleased()), told.toString());
            final List<KeyValue<String, Archived>> written = archive.read(ledger);
            assertFalse(written.isEmpty(), "nothing written to the archive");
            assertEquals(ID, written.get(0).key);
            assertNull(written.get(0).value, "no tombstone: the archive still holds the version it came back from");
            assertEquals(1, written.stream().filter(record -> record.value == null).count());
            assertTrue(ledger.dlq.isEmpty(), "refused");
        }
    }

    @Test
    void shouldPutBackTheEntriesOfAReleasedRequestALateCallbackBringsBackAndTakeItOutOfTheArchive() {
        // a late answer that contradicts the settled one is recorded: the request changes
        assertComesBackWhole(ledger -> ledger.callBack(ledger.callback(ID, "billing",
                dev.lethe.avro.CallbackOutcome.NOT_FOUND, 0L)));
    }

    @Test
    void shouldPutBackTheEntriesOfAReleasedRequestAReplayBringsBackAndTakeItOutOfTheArchive() {
        assertComesBackWhole(ledger -> ledger.decide(ID,
                new dev.lethe.avro.Replayed("billing", "restored from the backup of 1 May")));
    }

    @Test
    void shouldPutBackTheEntriesOfAReleasedRequestACoverBringsBackAndTakeItOutOfTheArchive() {
        // a system registered after the request finished, covered by hand
        assertComesBackWhole(ledger -> {
            ledger.register("support", "user_id");
            ledger.decide(ID, new dev.lethe.avro.Covered("support", "hand-checked"));
        });
    }

    @Test
    void shouldWaitForTheNewVersionWhenTheCopyNoLongerHoldsARequestThatCameBack() {
        final FollowedArchive archive = new FollowedArchive();
        try (LedgerDriver ledger = ledger(archive)) {
            finishAndForget(ledger);
            archive.follow(ledger);
            ledger.driver.advanceWallClockTime(RELEASE_AFTER.plus(SCAN));
            ledger.decide(ID, new dev.lethe.avro.Replayed("billing", "restored from the backup of 1 May"));
            ledger.callBack(ledger.callback(ID, "billing", DONE, 2L));
            // this instance's copy has read the tombstone, not yet the request's new version
            final List<KeyValue<String, Archived>> written = archive.read(ledger);
            archive.held.remove(ID);
            ledger.driver.advanceWallClockTime(RELEASE_AFTER.plus(SCAN));
            assertNotNull(ledger.domainState(ID), "released while the copy did not hold it");
            assertFalse(entriesOf(ledger, ID).isEmpty());

            written.forEach(record -> archive.held.put(record.key, record.value));
            archive.written.clear();
            ledger.driver.advanceWallClockTime(RELEASE_AFTER.plus(SCAN));

            assertNull(ledger.domainState(ID), "never released once the copy held its new version");
            assertEquals(Map.of(), entriesOf(ledger, ID));
        }
    }

    /** The release wakes in the due index. */
    /** Replaces the request's one release wake by the form an earlier version put: {@code archived:<request id>}. */
    private static void putHeadlessReleaseWake(LedgerDriver ledger) {
        final KeyValueStore<String, String> due = ledger.driver.getKeyValueStore(LedgerNames.DUE_STORE);
        final List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, String> it = due.all()) {
            it.forEachRemaining(entry -> {
                if (ArchiveKeeper.isRelease(entry.value)) {
                    keys.add(entry.key);
                }
            });
        }
        assertEquals(1, keys.size());
        due.put(keys.get(0), ArchiveKeeper.RELEASE_PREFIX + ID);
    }

    private static List<String> releaseWakes(LedgerDriver ledger) {
        final KeyValueStore<String, String> due = ledger.driver.getKeyValueStore(LedgerNames.DUE_STORE);
        final List<String> wakes = new ArrayList<>();
        try (KeyValueIterator<String, String> it = due.all()) {
            it.forEachRemaining(entry -> {
                if (ArchiveKeeper.isRelease(entry.value)) {
                    wakes.add(entry.value);
                }
            });
        }
        return wakes;
    }

    @Test
    void shouldDropTheReleaseWakeOfAVersionThatChangedAndCouldNotBeArchivedAgain() {
        // the size of the request's first archive record, to set a limit its next version exceeds
        final int first;
        try (LedgerDriver measure = ledger(new FollowedArchive())) {
            finishAndForget(measure);
            first = ArchiveSerde.encode(measure.archive.readValuesToList().get(0)).length;
        }
        final FollowedArchive archive = new FollowedArchive();
        try (LedgerDriver ledger = new LedgerDriver(LedgerPolicy.defaults(), new AppliedOffsets(), 1,
                new Privacy(LedgerDriver.SEALING, FORGET_AFTER), new Archiving(archive, RELEASE_AFTER, first + 16))) {
            ledger.register("billing", "user_id", "email");
            ledger.register("crm", "user_id");
            finishAndForget(ledger);
            assertEquals(1, archive.read(ledger).size(), "the first version was not archived");
            // this instance's copy lags: the wake is put again
            ledger.driver.advanceWallClockTime(RELEASE_AFTER.plus(SCAN));
            assertEquals(1, releaseWakes(ledger).size());
            // the request changes; its new version's record would be over the limit: it stays in the task stores
            ledger.decide(ID, new dev.lethe.avro.Replayed("billing", "restored from the backup of 1 May"));
            ledger.callBack(ledger.callback(ID, "billing", DONE, 2L));
            // and the first version leaves the archive (a tombstone): it would be listed beside the newer one
            final List<KeyValue<String, Archived>> written = archive.read(ledger);
            assertFalse(written.isEmpty(), "no tombstone");
            assertTrue(written.stream().allMatch(record -> ID.equals(record.key) && record.value == null),
                    "the new version was archived: " + written);
            archive.follow(ledger);
            assertNull(archive.get(ID));

            ledger.driver.advanceWallClockTime(RELEASE_AFTER.plus(SCAN));
            ledger.driver.advanceWallClockTime(RELEASE_AFTER.plus(SCAN));

            assertNotNull(ledger.domainState(ID));
            assertEquals(List.of(), releaseWakes(ledger), "the first version's wake is put again for ever");
        }
    }

    @Test
    void shouldStillReleaseOnAReleaseWakeAnEarlierVersionPutWithoutTheHead() {
        final FollowedArchive archive = new FollowedArchive();
        try (LedgerDriver ledger = ledger(archive)) {
            finishAndForget(ledger);
            archive.follow(ledger);
            // the wake as the version before put it: archived:<request id>
            putHeadlessReleaseWake(ledger);

            ledger.driver.advanceWallClockTime(RELEASE_AFTER.plus(SCAN));

            assertNull(ledger.domainState(ID), "not released");
            assertEquals(Map.of(), entriesOf(ledger, ID));
        }
    }

    @Test
    void shouldPutAReleaseWakeAnEarlierVersionPutWithoutTheHeadAgainWithTheStoredHead() {
        final FollowedArchive archive = new FollowedArchive();
        try (LedgerDriver ledger = ledger(archive)) {
            finishAndForget(ledger);
            // the wake as the version before put it, and this instance's copy does not hold the request yet
            putHeadlessReleaseWake(ledger);

            ledger.driver.advanceWallClockTime(RELEASE_AFTER.plus(SCAN));

            // put again, now with the stored version's head: once the request changes, it is dropped
            assertEquals(List.of(ArchiveKeeper.RELEASE_PREFIX + ID + "@" + ledger.domainState(ID).auditHead()),
                    releaseWakes(ledger));
        }
    }

    @Test
    void shouldWaitForThisInstancesArchiveCopyToCatchUpWhenATaskStarts() {
        final List<Duration> waits = new ArrayList<>();
        final FollowedArchive archive = new FollowedArchive() {
            @Override
            public void awaitCaughtUp(Duration timeout) {
                waits.add(timeout);
            }
        };
        try (LedgerDriver ledger = ledger(archive)) {
            assertEquals(List.of(Archiving.CATCH_UP_TIMEOUT), waits, "the task started without the barrier");
        }
    }

    @Test
    void refusesToStartATaskWhileThisInstancesArchiveCopyHasNotCaughtUp() {
        final FollowedArchive lagging = new FollowedArchive() {
            @Override
            public void awaitCaughtUp(Duration timeout) {
                throw new org.apache.kafka.streams.errors.InvalidStateStoreException("not caught up within " + timeout);
            }
        };
        final RuntimeException refused = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> ledger(lagging).close());
        Throwable cause = refused;
        while (cause != null && !(cause instanceof org.apache.kafka.streams.errors.InvalidStateStoreException)) {
            cause = cause.getCause();
        }
        assertNotNull(cause, "another failure: " + refused);
    }

    @Test
    void shouldKeepARequestWhoseArchiveRecordWouldBeTooLargeInTheTaskStores() {
        final FollowedArchive archive = new FollowedArchive();
        try (LedgerDriver ledger = new LedgerDriver(LedgerPolicy.defaults(), new AppliedOffsets(), 1,
                new Privacy(LedgerDriver.SEALING, FORGET_AFTER), new Archiving(archive, RELEASE_AFTER, 512))) {
            ledger.register("billing", "user_id", "email");
            ledger.register("crm", "user_id");
            finishAndForget(ledger);
            final List<AuditFact> trail = storedTrail(ledger, ID);

            // no record over the limit; a tombstone instead, so that an earlier version the archive may hold (archived
            // before the request came back and grew) is not listed beside the task stores' version
            final List<KeyValue<String, ArchiveView.Archived>> written = archive.read(ledger);
            assertFalse(written.isEmpty(), "no tombstone");
            assertTrue(written.stream().allMatch(record -> ID.equals(record.key) && record.value == null),
                    "a record over the limit was written: " + written);
            ledger.driver.advanceWallClockTime(RELEASE_AFTER.plus(SCAN));
            assertNull(ledger.domainState(ID).dataKey(), "not forgotten");
            assertEquals(trail, storedTrail(ledger, ID));
        }
    }

    @Test
    void shouldReleaseARequestArchivedAgainOnceThisInstancesCopyHoldsItsNewVersion() {
        final FollowedArchive archive = new FollowedArchive();
        try (LedgerDriver ledger = ledger(archive)) {
            finishAndForget(ledger);
            archive.follow(ledger);
            ledger.driver.advanceWallClockTime(RELEASE_AFTER.plus(SCAN));
            assertNull(ledger.domainState(ID));
            // back, finished again and archived again; this instance's copy still holds the first version
            ledger.decide(ID, new dev.lethe.avro.Replayed("billing", "restored from the backup of 1 May"));
            ledger.callBack(ledger.callback(ID, "billing", DONE, 2L));
            assertFalse(archive.read(ledger).isEmpty(), "not archived again");
            ledger.driver.advanceWallClockTime(RELEASE_AFTER.plus(SCAN));
            assertNotNull(ledger.domainState(ID), "released while the copy held an earlier version");

            archive.follow(ledger);
            ledger.driver.advanceWallClockTime(RELEASE_AFTER.plus(SCAN));

            assertNull(ledger.domainState(ID), "never released once the copy caught up");
            assertTrue(storedTrail(ledger, ID).isEmpty());
        }
    }
}
