package dev.lethe.ledger.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lethe.avro.ProcessingWindow;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WindowGateTest {

    private static final ProcessingWindow NIGHT = new ProcessingWindow("02:00", "06:00", "Asia/Seoul");
    private static final ProcessingWindow OVER_MIDNIGHT = new ProcessingWindow("22:00", "04:00", "UTC");

    @Test
    void shouldBeOpenInsideTheWindowInItsZone() {
        // 03:00 in Seoul is 18:00 UTC the day before.
        assertEquals(Optional.empty(), WindowGate.closedUntil(NIGHT, Instant.parse("2026-11-23T18:00:00Z")));
    }

    @Test
    void shouldSayWhenAClosedWindowOpensNext() {
        // 12:00 in Seoul (03:00 UTC): opens at 02:00 Seoul the next day = 17:00 UTC today.
        assertEquals(Optional.of(Instant.parse("2026-11-23T17:00:00Z")),
                WindowGate.closedUntil(NIGHT, Instant.parse("2026-11-23T03:00:00Z")));
    }

    @Test
    void shouldHandleWindowsOverMidnight() {
        assertEquals(Optional.empty(), WindowGate.closedUntil(OVER_MIDNIGHT, Instant.parse("2026-11-23T23:30:00Z")));
        assertEquals(Optional.empty(), WindowGate.closedUntil(OVER_MIDNIGHT, Instant.parse("2026-11-23T01:00:00Z")));
        assertEquals(Optional.of(Instant.parse("2026-11-23T22:00:00Z")),
                WindowGate.closedUntil(OVER_MIDNIGHT, Instant.parse("2026-11-23T12:00:00Z")));
    }

    @Test
    void shouldRejectAnUnreadableWindow() {
        assertThrows(IllegalArgumentException.class,
                () -> WindowGate.validate(new ProcessingWindow("2am", "06:00", "UTC")));
    }
}
