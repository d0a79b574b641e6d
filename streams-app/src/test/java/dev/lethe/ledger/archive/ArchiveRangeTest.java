package dev.lethe.ledger.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lethe.ledger.archive.ArchiveIndex.Kind;
import dev.lethe.ledger.domain.RequestState;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.Test;

/** The chunked range of the archive copy, over a reader that serves a sorted map as the copy's scan would. */
class ArchiveRangeTest {

    private final NavigableMap<String, RequestState> index = new TreeMap<>();
    private final List<Integer> reads = new ArrayList<>();

    ArchiveRangeTest() {
        for (int i = 0; i < 600; i++) {
            index.put(String.format("k%04d", i), null);
        }
    }

    /** What the follower's scan does: at most {@code max} entries from {@code start}, and where to go on. */
    private ArchiveRange.Chunk read(byte[] start, int max) {
        reads.add(max);
        final List<KeyValue<String, RequestState>> found = new ArrayList<>();
        for (var entry : index.tailMap(ArchiveIndex.indexKey(start), true).entrySet()) {
            if (found.size() == max) {
                return new ArchiveRange.Chunk(found,
                        ArchiveIndex.after(ArchiveIndex.key(Kind.REQUESTED, found.get(max - 1).key)));
            }
            found.add(KeyValue.pair(entry.getKey(), entry.getValue()));
        }
        return new ArchiveRange.Chunk(found, null);
    }

    @Test
    void shouldReadEveryEntryInOrderInChunksThatGrowToTheLargest() {
        final List<String> seen = new ArrayList<>();
        try (KeyValueIterator<String, RequestState> range = new ArchiveRange(ArchiveIndex.start(Kind.REQUESTED, null),
                this::read)) {
            while (range.hasNext()) {
                final String peeked = range.peekNextKey();
                final String key = range.next().key;
                assertEquals(peeked, key);
                seen.add(key);
            }
        }

        assertEquals(new ArrayList<>(index.keySet()), seen);
        assertEquals(List.of(32, 64, 128, 256, 256), reads);
    }

    @Test
    void shouldGoOnAfterTheLastKeyOfAChunk() {
        final List<String> seen = new ArrayList<>();
        try (KeyValueIterator<String, RequestState> range = new ArchiveRange(ArchiveIndex.start(Kind.REQUESTED, "k0010"),
                this::read)) {
            range.forEachRemaining(entry -> seen.add(entry.key));
        }

        assertEquals(new ArrayList<>(index.tailMap("k0010", true).keySet()), seen);
    }

    @Test
    void shouldReadTheFirstChunkWhenOpenedSoThatACopyThatCannotBeReadThrowsThere() {
        assertThrows(InvalidStateStoreException.class, () -> new ArchiveRange(new byte[] {1, 'r'}, (start, max) -> {
            throw new InvalidStateStoreException("the archive follower is CLOSED");
        }));
    }

    @Test
    void shouldThrowFromALaterChunkOnceTheCopyCannotBeRead() {
        final boolean[] closed = {false};
        try (KeyValueIterator<String, RequestState> range = new ArchiveRange(ArchiveIndex.start(Kind.REQUESTED, null),
                (start, max) -> {
                    if (closed[0]) {
                        throw new InvalidStateStoreException("the archive follower is CLOSED");
                    }
                    return read(start, max);
                })) {
            for (int i = 0; i < ArchiveRange.FIRST_CHUNK; i++) {
                range.next();
            }
            closed[0] = true;

            assertThrows(InvalidStateStoreException.class, range::hasNext);
        }
    }

    @Test
    void refusesToBeReadOnceClosedAndReadsNothingMore() {
        final KeyValueIterator<String, RequestState> range = new ArchiveRange(ArchiveIndex.start(Kind.REQUESTED, null),
                this::read);
        range.close();

        assertThrows(InvalidStateStoreException.class, range::hasNext);
        assertEquals(List.of(ArchiveRange.FIRST_CHUNK), reads);
    }

    @Test
    void shouldEndWhenTheRangeIsEmpty() {
        try (KeyValueIterator<String, RequestState> range = new ArchiveRange(ArchiveIndex.start(Kind.REQUESTED, "z"),
                this::read)) {
            assertFalse(range.hasNext());
        }
    }
}
