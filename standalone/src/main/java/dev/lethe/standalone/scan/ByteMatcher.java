package dev.lethe.standalone.scan;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Finds every byte form of every {@link SearchedValue} in a byte array or a stream. Forms that
 * match ASCII letters in any case are compared against a copy of the bytes with {@code A-Z}
 * lowered (which leaves every byte of a multi-byte UTF-8 character as it is).
 */
final class ByteMatcher {

    private static final int CHUNK = 4 << 20;

    /** Where a form of a value was found: {@code offset} is the first byte, from the start of the bytes or stream. */
    interface Sink {
        void found(SearchedValue value, SearchedValue.Pattern pattern, long offset);
    }

    private final List<SearchedValue> values;
    private final int longest;

    ByteMatcher(List<SearchedValue> values) {
        this.values = List.copyOf(values);
        this.longest = values.stream().mapToInt(SearchedValue::longestPattern).max().orElse(1);
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

    /** Occurrences within {@code bytes[0, length)} that start before {@code startsBelow}. */
    private void search(byte[] bytes, int length, int from, int startsBelow, Sink sink) {
        byte[] folded = null;
        for (SearchedValue value : values) {
            for (SearchedValue.Pattern pattern : value.patterns()) {
                final byte[] needle = pattern.foldCase() ? lowered(pattern.bytes()) : pattern.bytes();
                if (pattern.foldCase() && folded == null) {
                    folded = lowered(bytes, length);
                }
                final byte[] hay = pattern.foldCase() ? folded : bytes;
                for (int i = indexOf(hay, length, needle, from); i >= 0 && i < startsBelow;
                     i = indexOf(hay, length, needle, i + 1)) {
                    sink.found(value, pattern, i);
                }
            }
        }
    }

    private static int indexOf(byte[] hay, int length, byte[] needle, int from) {
        final int last = length - needle.length;
        final byte first = needle[0];
        outer:
        for (int i = from; i <= last; i++) {
            if (hay[i] != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
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
