package dev.lethe.standalone.scan;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Finds every byte form of every {@link SearchedValue} in a byte array or a stream, in one pass
 * whatever the number of forms (a table of the forms by their first two bytes). Forms that
 * match ASCII letters in any case are compared against a copy of the bytes with {@code A-Z}
 * lowered (which leaves every byte of a multi-byte UTF-8 character as it is).
 */
final class ByteMatcher {

    private static final int CHUNK = 4 << 20;

    /** Where a form of a value was found: {@code offset} is the first byte, from the start of the bytes or stream. */
    interface Sink {
        void found(SearchedValue value, SearchedValue.Pattern pattern, long offset);
    }

    private final int longest;
    private final Candidate[][] exact;
    private final Candidate[][] folded;
    private final boolean anyFolded;

    /** Every form is at least two bytes long (values are at least {@value SearchedValue#MIN_LENGTH} characters). */
    ByteMatcher(List<SearchedValue> values) {
        this.longest = values.stream().mapToInt(SearchedValue::longestPattern).max().orElse(1);
        this.exact = table(values, false);
        this.folded = table(values, true);
        this.anyFolded = values.stream().flatMap(v -> v.patterns().stream()).anyMatch(SearchedValue.Pattern::foldCase);
    }

    /** Every occurrence in {@code bytes} (null is nothing). */
    void search(byte[] bytes, Sink sink) {
        if (bytes != null && bytes.length > 0) {
            search(bytes, bytes.length, 0, bytes.length, sink);
        }
    }

    /** Every occurrence in the stream, read in chunks that overlap by the longest form so none is split or counted twice. */
    void search(InputStream in, Sink sink) throws IOException {
        final int keep = Math.max(0, longest - 1);
        byte[] window = new byte[0];
        long base = 0;
        while (true) {
            final byte[] chunk = in.readNBytes(CHUNK);
            final boolean end = chunk.length < CHUNK;
            final byte[] joined = new byte[window.length + chunk.length];
            System.arraycopy(window, 0, joined, 0, window.length);
            System.arraycopy(chunk, 0, joined, window.length, chunk.length);
            final int carried = Math.min(keep, joined.length);
            final int reportBelow = end ? joined.length : joined.length - carried;
            final long at = base;
            search(joined, joined.length, 0, reportBelow, (value, pattern, offset) -> sink.found(value, pattern, at + offset));
            if (end) {
                return;
            }
            window = java.util.Arrays.copyOfRange(joined, joined.length - carried, joined.length);
            base += joined.length - carried;
        }
    }

    /**
     * Occurrences within {@code bytes[0, length)} that start before {@code startsBelow}: one pass
     * over the bytes (and one over their lowered copy), looking up the forms that start with each
     * pair of bytes.
     */
    private void search(byte[] bytes, int length, int from, int startsBelow, Sink sink) {
        scan(bytes, length, from, startsBelow, exact, sink);
        if (anyFolded) {
            scan(lowered(bytes, length), length, from, startsBelow, folded, sink);
        }
    }

    private static void scan(byte[] hay, int length, int from, int startsBelow, Candidate[][] table, Sink sink) {
        final int last = Math.min(startsBelow, length - 1);
        for (int i = from; i < last; i++) {
            final Candidate[] candidates = table[((hay[i] & 0xff) << 8) | (hay[i + 1] & 0xff)];
            if (candidates == null) {
                continue;
            }
            for (Candidate candidate : candidates) {
                if (matches(hay, length, i, candidate.needle())) {
                    sink.found(candidate.value(), candidate.pattern(), i);
                }
            }
        }
    }

    private static boolean matches(byte[] hay, int length, int at, byte[] needle) {
        if (at + needle.length > length) {
            return false;
        }
        for (int j = 2; j < needle.length; j++) {
            if (hay[at + j] != needle[j]) {
                return false;
            }
        }
        return true;
    }

    /** One form to compare where its first two bytes are found. */
    private record Candidate(SearchedValue value, SearchedValue.Pattern pattern, byte[] needle) {
    }

    private static Candidate[][] table(List<SearchedValue> values, boolean foldCase) {
        final Candidate[][] table = new Candidate[1 << 16][];
        for (SearchedValue value : values) {
            for (SearchedValue.Pattern pattern : value.patterns()) {
                if (pattern.foldCase() != foldCase) {
                    continue;
                }
                final byte[] needle = foldCase ? lowered(pattern.bytes()) : pattern.bytes();
                final int key = ((needle[0] & 0xff) << 8) | (needle[1] & 0xff);
                final Candidate[] known = table[key] == null ? new Candidate[0] : table[key];
                final Candidate[] more = java.util.Arrays.copyOf(known, known.length + 1);
                more[known.length] = new Candidate(value, pattern, needle);
                table[key] = more;
            }
        }
        return table;
    }

    private static byte[] lowered(byte[] bytes) {
        return lowered(bytes, bytes.length);
    }

    private static byte[] lowered(byte[] bytes, int length) {
        final byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            final byte b = bytes[i];
            out[i] = b >= 'A' && b <= 'Z' ? (byte) (b + ('a' - 'A')) : b;
        }
        return out;
    }
}
