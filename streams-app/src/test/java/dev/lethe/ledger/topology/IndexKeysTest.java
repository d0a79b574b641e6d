package dev.lethe.ledger.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class IndexKeysTest {

    @Test
    void shouldPadToNineteenDigitsExactlyAsFormatWould() {
        for (long value : new long[] {0, 7, 1_764_000_000_000L, Long.MAX_VALUE - 1_764_000_000_000L, Long.MAX_VALUE}) {
            assertEquals(String.format("%019d", value), IndexKeys.pad(value));
        }
        assertEquals("req/" + String.format("%010d", 42), AuditKeys.of("req", 42));
    }

    @Test
    void shouldOrderNewerBeforeOlder() {
        final Instant older = Instant.parse("2026-01-01T00:00:00Z");
        final Instant newer = older.plusMillis(1);

        assertTrue(IndexKeys.newestFirst(newer, "b").compareTo(IndexKeys.newestFirst(older, "a")) < 0);
        assertTrue(IndexKeys.earliestFirst(older, "b").compareTo(IndexKeys.earliestFirst(newer, "a")) < 0);
    }
}
