package dev.lethe.ledger.archive;

import dev.lethe.ledger.archive.ArchiveView.Order;
import dev.lethe.ledger.domain.RequestState;
import dev.lethe.ledger.topology.IndexKeys;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Where the archive copy ({@link ArchiveFollower}) keeps its secondary indexes, beside the archived
 * values in the same RocksDB: one byte {@link #PREFIX} (no request id starts with it), one byte for
 * the index, then the UTF-8 key the ledger's task stores use for the same entry
 * ({@link IndexKeys#newestFirst} of {@code requestedAt} or {@code finishedAt}, or
 * {@link IndexKeys#subject}); the value of an entry is the request id. So the byte order of the
 * entries of one index is the order of the task stores' keys, and a range of them is one RocksDB scan.
 */
final class ArchiveIndex {

    /** The first byte of every index entry's key. */
    static final byte PREFIX = 1;

    /** The indexes the copy keeps, each under its own second byte. */
    enum Kind {
        REQUESTED('r'), FINISHED('f'), SUBJECT('s');

        private final byte tag;

        Kind(char tag) {
            this.tag = (byte) tag;
        }

        static Kind of(Order order) {
            return order == Order.REQUESTED ? REQUESTED : FINISHED;
        }

        static Kind of(byte tag) {
            for (Kind kind : values()) {
                if (kind.tag == tag) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("no index has the tag " + tag);
        }
    }

    /** One entry of one index: its key there (as the task stores spell it). */
    record Entry(Kind kind, String key) {

        byte[] bytes() {
            return ArchiveIndex.key(kind, key);
        }
    }

    private ArchiveIndex() {
    }

    /** The entries of an archived request: none for a time or a subject key it does not have. */
    static Set<Entry> entries(RequestState state) {
        final Set<Entry> entries = new HashSet<>(4);
        if (state.requestedAt() != null) {
            entries.add(new Entry(Kind.REQUESTED, IndexKeys.newestFirst(state.requestedAt(), state.requestId())));
        }
        if (state.finishedAt() != null) {
            entries.add(new Entry(Kind.FINISHED, IndexKeys.newestFirst(state.finishedAt(), state.requestId())));
        }
        if (state.subjectKey() != null) {
            entries.add(new Entry(Kind.SUBJECT, IndexKeys.subject(state.subjectKey(), state.requestId())));
        }
        return entries;
    }

    /** The RocksDB key of the entry {@code key} of index {@code kind}. */
    static byte[] key(Kind kind, String key) {
        final byte[] text = key.getBytes(StandardCharsets.UTF_8);
        final byte[] bytes = new byte[2 + text.length];
        bytes[0] = PREFIX;
        bytes[1] = kind.tag;
        System.arraycopy(text, 0, bytes, 2, text.length);
        return bytes;
    }

    /** Where a scan of index {@code kind} from {@code from} (inclusive; null: its first entry) starts. */
    static byte[] start(Kind kind, String from) {
        return from == null ? new byte[] {PREFIX, kind.tag} : key(kind, from);
    }

    /** Where a scan of index {@code kind} to {@code to} (inclusive; null: its last entry) ends, exclusive. */
    static byte[] end(Kind kind, String to) {
        return to == null ? new byte[] {PREFIX, (byte) (kind.tag + 1)} : after(key(kind, to));
    }

    /** The first RocksDB key after {@code key}: where a scan goes on after it. */
    static byte[] after(byte[] key) {
        return Arrays.copyOf(key, key.length + 1);
    }

    /** The entry of an index entry's RocksDB key. */
    static Entry entry(byte[] bytes) {
        return new Entry(Kind.of(bytes[1]), indexKey(bytes));
    }

    /** The key in its index (as the task stores spell it) of an entry's RocksDB key. */
    static String indexKey(byte[] bytes) {
        return new String(bytes, 2, bytes.length - 2, StandardCharsets.UTF_8);
    }
}
