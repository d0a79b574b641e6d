package dev.lethe.ledger.archive;

import dev.lethe.ledger.archive.ArchiveView.Archived;
import dev.lethe.ledger.archive.ArchiveView.Order;
import dev.lethe.ledger.domain.RequestState;
import dev.lethe.ledger.topology.IndexKeys;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/** For archive fakes in tests: {@link ArchiveView#range} over a collection of archived requests, as the copy's indexes answer it. */
public final class ArchiveRanges {

    private ArchiveRanges() {
    }

    /** The states of {@code archived} whose key in {@code order} lies in [from, to] (inclusive, null unbounded), in key order. */
    public static KeyValueIterator<String, RequestState> range(Collection<Archived> archived, Order order, String from,
                                                               String to) {
        final NavigableMap<String, RequestState> sorted = new TreeMap<>();
        for (Archived held : archived) {
            final RequestState state = held.state();
            sorted.put(IndexKeys.newestFirst(order == Order.REQUESTED ? state.requestedAt() : state.finishedAt(),
                    state.requestId()), state);
        }
        final Iterator<Map.Entry<String, RequestState>> it = (from == null ? sorted : sorted.tailMap(from, true))
                .entrySet().stream().filter(e -> to == null || e.getKey().compareTo(to) <= 0).iterator();
        return new KeyValueIterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public KeyValue<String, RequestState> next() {
                final Map.Entry<String, RequestState> entry = it.next();
                return KeyValue.pair(entry.getKey(), entry.getValue());
            }

            @Override
            public String peekNextKey() {
                throw new UnsupportedOperationException();
            }

            @Override
            public void close() {
            }
        };
    }
}
