package dev.lethe.ledger.archive;

import dev.lethe.ledger.domain.RequestState;
import java.util.ArrayDeque;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * A range of the archive copy read in chunks: each chunk (at most {@link #CHUNK} entries, the first
 * ones smaller, since a list page is short) is read at once by the {@link Reader}, which holds the
 * copy's read lock and a RocksDB snapshot only while it reads it. Between chunks it holds nothing, so
 * a caller that works slowly between {@link #next} calls neither blocks the copy's close nor pins
 * RocksDB resources; a chunk read after the copy closed throws {@link InvalidStateStoreException}.
 * Each chunk is consistent in itself (one snapshot); entries written between two chunks are seen as a
 * live {@code KeyValueStore} range would see them.
 */
final class ArchiveRange implements KeyValueIterator<String, RequestState> {

    /** The largest chunk. */
    static final int CHUNK = 256;
    /** The first chunk: enough for a list page, without reading a whole chunk of states it may not need. */
    static final int FIRST_CHUNK = 32;

    /** Reads the entries from {@code start} (a RocksDB key, inclusive), at most {@code max} of them. */
    @FunctionalInterface
    interface Reader {
        Chunk read(byte[] start, int max);
    }

    /**
     * What one read found, in key order, and where the next read starts: null when the read reached
     * the end of the range.
     */
    record Chunk(List<KeyValue<String, RequestState>> entries, byte[] next) {
    }

    private final Reader reader;
    private final ArrayDeque<KeyValue<String, RequestState>> buffer = new ArrayDeque<>();
    private byte[] next;
    private int size = FIRST_CHUNK;
    private boolean closed;

    /** Reads the first chunk at once, so that a copy that cannot be read throws here. */
    ArchiveRange(byte[] start, Reader reader) {
        this.reader = reader;
        this.next = start;
        fill();
    }

    private void fill() {
        while (buffer.isEmpty() && next != null) {
            final Chunk chunk = reader.read(next, size);
            buffer.addAll(chunk.entries());
            next = chunk.next();
            size = Math.min(CHUNK, size * 2);
        }
    }

    @Override
    public boolean hasNext() {
        if (closed) {
            throw new InvalidStateStoreException("this range of the archive copy is closed");
        }
        fill();
        return !buffer.isEmpty();
    }

    @Override
    public KeyValue<String, RequestState> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return buffer.poll();
    }

    @Override
    public String peekNextKey() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return buffer.peek().key;
    }

    @Override
    public void close() {
        closed = true;
        buffer.clear();
    }
}
