package dev.lethe.ledger.query;

import dev.lethe.avro.SubjectEntry;
import dev.lethe.ledger.archive.ArchiveView;
import dev.lethe.ledger.domain.RequestState;
import dev.lethe.ledger.domain.RequestStatus;
import dev.lethe.ledger.domain.SystemTarget;
import dev.lethe.ledger.topology.IndexKeys;
import dev.lethe.ledger.topology.LedgerNames;
import dev.lethe.ledger.topology.SubjectEntries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Scans of this instance's own (active) partitions of the index stores: one page of a list,
 * the running counts, one subject's requests. Each partition is read through a store handle
 * pinned to that partition, which fails (InvalidStateStoreException) rather than answer from a
 * partition this instance no longer owns.
 *
 * <p>A request released to the ledger's archive leaves the task stores with its list and subject
 * index entries (its counts stay): a list adds the archive's part ({@link #archivePart}, once per
 * list, on the instance that merges the parts), a subject look-up adds the archive's requests of
 * the subject. Between archiving and release a request is in both; it is answered once, from the
 * task stores. A list entry whose request the {@code ledger} store does not hold (released since
 * the scan began) is looked up in the archive.
 */
final class LocalScans {

    /** Index entries one partition examines for one page before it hands back a cursor. */
    static final int SCAN_BUDGET = 5_000;

    private final KafkaStreams streams;
    private final ArchiveView archive;

    LocalScans(KafkaStreams streams, ArchiveView archive) {
        this.streams = streams;
        this.archive = archive;
    }

    /** One page of {@code query} over {@code partitions}, merged. */
    ListPage list(ListQuery query, Collection<Integer> partitions, Instant now) {
        final List<ListPage> parts = new ArrayList<>();
        for (int partition : partitions) {
            parts.add(listPartition(query, partition, now));
        }
        return ListPage.merge(parts, query.limit());
    }

    private ListPage listPartition(ListQuery query, int partition, Instant now) {
        final ReadOnlyKeyValueStore<String, String> index = store(query.field() == ListQuery.Field.FINISHED_AT
                ? LedgerNames.BY_FINISHED_STORE : LedgerNames.BY_REQUESTED_STORE, partition);
        final ReadOnlyKeyValueStore<String, RequestState> ledger = store(LedgerNames.LEDGER_STORE, partition);
        try (KeyValueIterator<String, String> it = index.range(start(query), end(query))) {
            return page(query, now, () -> {
                final KeyValue<String, String> entry = it.next();
                return KeyValue.pair(entry.key, requestOf(ledger, entry.value));
            }, it::hasNext);
        }
    }

    /**
     * One page of {@code query} over this instance's copy of the ledger's archive: the requests
     * released from every partition's task stores, whose list entries left with them. A list asks
     * it once, on the instance that merges the parts (every instance holds the whole archive).
     */
    ListPage archivePart(ListQuery query, Instant now) {
        if (onlyUnfinished(query)) {
            // every archived request is finished: its part is empty, and complete (no bound to hold the merge back)
            return new ListPage(List.of(), null);
        }
        final ArchiveView.Order order = query.field() == ListQuery.Field.FINISHED_AT
                ? ArchiveView.Order.FINISHED : ArchiveView.Order.REQUESTED;
        try (KeyValueIterator<String, RequestState> it = archive.range(order, start(query), end(query))) {
            return page(query, now, it::next, it::hasNext);
        }
    }

    /** Whether only unfinished requests can match {@code query}: an open status, or overdue (finished ones never are). */
    private static boolean onlyUnfinished(ListQuery query) {
        return query.status() != null && !RequestStatus.valueOf(query.status()).finished()
                || Boolean.TRUE.equals(query.overdue());
    }

    private static String start(ListQuery query) {
        String start = query.to() == null ? null : IndexKeys.newestFirstStart(query.to());
        if (query.after() != null) {
            final String afterCursor = query.after() + '\u0000';
            start = start == null || afterCursor.compareTo(start) > 0 ? afterCursor : start;
        }
        return start;
    }

    private static String end(ListQuery query) {
        return query.from() == null ? null : IndexKeys.newestFirstEnd(query.from());
    }

    /**
     * The matching requests of one range in key order, until the page is full or
     * {@link #SCAN_BUDGET} entries were examined (then the page's bound says where it stopped).
     */
    private static ListPage page(ListQuery query, Instant now, Supplier<KeyValue<String, RequestState>> next,
                                 BooleanSupplier hasNext) {
        final List<ListPage.Entry> items = new ArrayList<>();
        int examined = 0;
        while (hasNext.getAsBoolean()) {
            final KeyValue<String, RequestState> entry = next.get();
            final RequestState state = entry.value;
            if (state != null && state.received() && matches(query, state, now)) {
                items.add(new ListPage.Entry(entry.key, RequestView.of(state, now)));
                if (items.size() == query.limit()) {
                    return new ListPage(items, entry.key);
                }
            }
            if (++examined == SCAN_BUDGET) {
                return new ListPage(items, entry.key);
            }
        }
        return new ListPage(items, null);
    }

    /** The request of an index entry: the {@code ledger} store's, or, when it does not hold it, the archive's. */
    private RequestState requestOf(ReadOnlyKeyValueStore<String, RequestState> ledger, String requestId) {
        final RequestState stored = ledger.get(requestId);
        if (stored != null && stored.received()) {
            return stored;
        }
        final ArchiveView.Archived archived = archive.get(requestId);
        return archived == null ? stored : archived.state();
    }

    private static boolean matches(ListQuery query, RequestState state, Instant now) {
        if (query.status() != null && !query.status().equals(state.status().name())) {
            return false;
        }
        if (query.overdue() != null && query.overdue() != state.overdue(now)) {
            return false;
        }
        if (query.attention() != null && query.attention() == state.attention().isEmpty()) {
            return false;
        }
        if (query.system() == null && query.systemStatus() == null) {
            return true;
        }
        for (SystemTarget system : state.systems()) {
            final boolean named = query.system() == null || query.system().equals(system.name());
            final boolean inStatus = query.systemStatus() == null
                    || query.systemStatus().equals(system.status().name());
            if (named && inStatus) {
                return true;
            }
        }
        return false;
    }

    /** The stats key of the open requests due within {@link #DUE_SOON_WITHIN} (not yet overdue). */
    static final String DUE_SOON = "dueSoon";
    static final Duration DUE_SOON_WITHIN = Duration.ofDays(7);

    /**
     * The running counts of {@code partitions} summed, plus how many open requests are past their
     * deadline ({@code overdue}) and how many fall due within the next 7 days ({@link #DUE_SOON}).
     */
    Map<String, Long> stats(Collection<Integer> partitions, Instant now) {
        final Map<String, Long> totals = new TreeMap<>();
        for (int partition : partitions) {
            final ReadOnlyKeyValueStore<String, Long> stats = store(LedgerNames.STATS_STORE, partition);
            try (KeyValueIterator<String, Long> it = stats.all()) {
                it.forEachRemaining(entry -> totals.merge(entry.key, entry.value, Long::sum));
            }
            final ReadOnlyKeyValueStore<String, String> open = store(LedgerNames.OPEN_BY_DEADLINE_STORE, partition);
            long overdue = 0;
            try (KeyValueIterator<String, String> it = open.range(null, IndexKeys.earliestFirstThrough(now))) {
                while (it.hasNext()) {
                    it.next();
                    overdue++;
                }
            }
            totals.merge("overdue", overdue, Long::sum);
            totals.merge(DUE_SOON, count(open, IndexKeys.earliestFirstThrough(now),
                    IndexKeys.earliestFirstThrough(now.plus(DUE_SOON_WITHIN))), Long::sum);
        }
        return totals;
    }

    /**
     * Per system, its oldest open obligation over {@code partitions}: the first entry of its range
     * of the {@code owed-since} index in each partition (one short scan per system), the earliest kept.
     */
    Map<String, OldestObligation> oldestOwed(Collection<Integer> partitions) {
        final Map<String, OldestObligation> oldest = new TreeMap<>();
        for (int partition : partitions) {
            OldestObligation.mergeInto(oldest, oldestOwed(store(LedgerNames.OWED_SINCE_STORE, partition)));
        }
        return oldest;
    }

    /** Each system's first entry in one partition's {@code owed-since} index, skipping the rest of its range. */
    static Map<String, OldestObligation> oldestOwed(ReadOnlyKeyValueStore<String, String> owed) {
        final Map<String, OldestObligation> oldest = new TreeMap<>();
        String from = IndexKeys.owedAll();
        while (true) {
            try (KeyValueIterator<String, String> it = owed.range(from, IndexKeys.owedAllEnd())) {
                if (!it.hasNext()) {
                    return oldest;
                }
                final KeyValue<String, String> first = it.next();
                final String system = IndexKeys.owedSystem(first.key);
                oldest.put(system, new OldestObligation(IndexKeys.owedSince(first.key), first.value));
                from = IndexKeys.owedLast(system);
            }
        }
    }

    private static long count(ReadOnlyKeyValueStore<String, String> index, String from, String to) {
        long count = 0;
        try (KeyValueIterator<String, String> it = index.range(from, to)) {
            while (it.hasNext()) {
                it.next();
                count++;
            }
        }
        return count;
    }

    /**
     * Every request of one subject, by request id: the entries of {@code partition} of the subject
     * index and, for the requests released to the ledger's archive (whose entries left the subject
     * index with them), this instance's copy of the archive. A request in both (archived, not yet
     * released) is answered from the subject index.
     */
    List<SubjectEntry> subject(String subjectKey, int partition) {
        final ReadOnlyKeyValueStore<String, SubjectEntry> subjects = store(LedgerNames.SUBJECTS_STORE, partition);
        final Map<String, SubjectEntry> entries = new TreeMap<>();
        try (KeyValueIterator<String, SubjectEntry> it = subjects.range(IndexKeys.subjectFirst(subjectKey),
                IndexKeys.subjectLast(subjectKey))) {
            it.forEachRemaining(entry -> entries.put(entry.value.getRequestId(), entry.value));
        }
        for (RequestState archived : archive.subject(subjectKey)) {
            entries.putIfAbsent(archived.requestId(), SubjectEntries.of(archived).build());
        }
        return List.copyOf(entries.values());
    }

    <K, V> ReadOnlyKeyValueStore<K, V> store(String name, int partition) {
        return streams.store(StoreQueryParameters
                .fromNameAndType(name, QueryableStoreTypes.<K, V>keyValueStore()).withPartition(partition));
    }
}
