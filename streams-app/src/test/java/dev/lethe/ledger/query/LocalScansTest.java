package dev.lethe.ledger.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lethe.ledger.archive.ArchiveRanges;
import dev.lethe.ledger.archive.ArchiveView;
import dev.lethe.ledger.archive.ArchiveView.Archived;
import dev.lethe.ledger.domain.RequestState;
import dev.lethe.ledger.topology.ArchiveSerdeTest;
import dev.lethe.ledger.topology.IndexKeys;
import java.util.List;
import java.util.NavigableMap;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/** The scans of the stats (each system's oldest open obligation, per partition and merged) and of the archive's list part. */
class LocalScansTest {

    private static final Instant MARCH = Instant.parse("2026-03-01T09:00:00Z");

    @Test
    void shouldFindEachSystemsOldestOpenObligationWithOneScanPerSystem() {
        final KeyValueStore<String, String> owed = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore("owed-since"), Serdes.String(), Serdes.String())
                .withLoggingDisabled().build();
        owed.init(new MockProcessorContext<>().getStateStoreContext(), owed);
        owed.put(IndexKeys.owed("billing", MARCH.plusSeconds(60), "r-2"), "r-2");
        owed.put(IndexKeys.owed("billing", MARCH, "r-1"), "r-1");
        owed.put(IndexKeys.owed("billing-eu", MARCH.minusSeconds(60), "r-0"), "r-0");
        owed.put(IndexKeys.owed("crm", MARCH.plusSeconds(3600), "r-3"), "r-3");
        owed.put("obligation|r-1|billing", IndexKeys.owed("billing", MARCH, "r-1"));

        final Map<String, OldestObligation> oldest = LocalScans.oldestOwed(owed);

        assertEquals(Map.of("billing", new OldestObligation(MARCH, "r-1"),
                "billing-eu", new OldestObligation(MARCH.minusSeconds(60), "r-0"),
                "crm", new OldestObligation(MARCH.plusSeconds(3600), "r-3")), oldest);
        owed.close();
    }

    @Test
    void shouldMergeInstancesByKeepingEachSystemsEarliestObligation() {
        final Map<String, OldestObligation> merged = new TreeMap<>();
        OldestObligation.mergeInto(merged, Map.of("billing", new OldestObligation(MARCH.plusSeconds(60), "r-2"),
                "crm", new OldestObligation(MARCH, "r-3")));
        final Map<String, OldestObligation> second = new LinkedHashMap<>();
        second.put("billing", new OldestObligation(MARCH, "r-1"));
        second.put("crm", new OldestObligation(MARCH.plusSeconds(1), "r-4"));
        OldestObligation.mergeInto(merged, second);
        OldestObligation.mergeInto(merged, null); // an instance that does not keep the index yet

        assertEquals(Map.of("billing", new OldestObligation(MARCH, "r-1"), "crm", new OldestObligation(MARCH, "r-3")),
                merged);
    }

    @Test
    void shouldListTheArchivesRequestsInItsOrderFilteredAndPaged() {
        // Given an archive holding three requests released from the task stores
        final NavigableMap<String, Archived> byRequested = new TreeMap<>();
        for (String id : List.of("r-3", "r-1", "r-2")) {
            final Archived archived = ArchiveSerdeTest.forgotten(id);
            byRequested.put(IndexKeys.newestFirst(archived.state().requestedAt(), id), archived);
        }
        final LocalScans scans = new LocalScans(null, archiveOf(byRequested));

        // When a list asks for its part two at a time
        final ListQuery first = ListQuery.parse(Map.of("status", List.of("COMPLETED"), "limit", List.of("2")));
        final ListPage page = scans.archivePart(first, MARCH);

        // Then it gets them in the index's order, and a bound to continue after
        assertEquals(List.of("r-1", "r-2"), ids(page));
        final ListQuery second = ListQuery.parse(Map.of("status", List.of("COMPLETED"), "limit", List.of("2"),
                "cursor", List.of(first.cursor(page.bound()))));
        final ListPage rest = scans.archivePart(second, MARCH);
        assertEquals(List.of("r-3"), ids(rest));
        assertEquals(null, rest.bound());
        // and a filter no archived request matches lists none of them
        assertEquals(List.of(), ids(scans.archivePart(ListQuery.parse(Map.of("status", List.of("IN_PROGRESS"))), MARCH)));
    }

    @Test
    void shouldNotScanTheArchiveForAListNoFinishedRequestCanMatch() {
        // Given an archive that fails the test if it is read
        final ArchiveView unread = new ArchiveView() {
            @Override
            public Archived get(String requestId) {
                throw new AssertionError("read");
            }

            @Override
            public KeyValueIterator<String, RequestState> range(Order order, String from, String to) {
                throw new AssertionError("scanned for a list no archived request can be in");
            }
        };
        final LocalScans scans = new LocalScans(null, unread);

        // Then open statuses and overdue lists answer an empty, complete part without reading it
        for (Map<String, List<String>> query : List.of(Map.of("status", List.of("IN_PROGRESS")),
                Map.of("status", List.of("PENDING_APPROVAL")), Map.of("overdue", List.of("true")))) {
            final ListPage part = scans.archivePart(ListQuery.parse(query), MARCH);
            assertEquals(List.of(), part.items(), query.toString());
            assertEquals(null, part.bound(), query.toString());
        }
    }

    private static List<String> ids(ListPage page) {
        return page.items().stream().map(entry -> entry.request().id()).toList();
    }

    /** An archive whose REQUESTED order is {@code byRequested} (inclusive bounds, as KeyValueStore#range). */
    private static ArchiveView archiveOf(NavigableMap<String, Archived> byRequested) {
        return new ArchiveView() {
            @Override
            public Archived get(String requestId) {
                return byRequested.values().stream().filter(a -> a.state().requestId().equals(requestId))
                        .findFirst().orElse(null);
            }

            @Override
            public KeyValueIterator<String, RequestState> range(Order order, String from, String to) {
                return ArchiveRanges.range(byRequested.values(), order, from, to);
            }
        };
    }
}
