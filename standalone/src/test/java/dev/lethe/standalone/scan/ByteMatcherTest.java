package dev.lethe.standalone.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A stream is searched in chunks: an occurrence across a chunk's end is found once, at its true offset. */
class ByteMatcherTest {

    @Test
    void shouldFindEachOccurrenceOnceAcrossChunkBoundaries() throws Exception {
        final String value = "u-0123456789-abcdef";
        final byte[] raw = value.getBytes(StandardCharsets.UTF_8);
        final byte[] stream = new byte[9 << 20];
        final List<Long> planted = List.of(0L, (4L << 20) - 5, (8L << 20) - raw.length, (long) stream.length - raw.length);
        planted.forEach(at -> System.arraycopy(raw, 0, stream, (int) (long) at, raw.length));

        final List<Long> found = new ArrayList<>();
        new ByteMatcher(List.of(SearchedValue.of(1, value))).search(new ByteArrayInputStream(stream),
                (v, pattern, offset) -> found.add(offset));

        assertEquals(planted, found);
    }
}
