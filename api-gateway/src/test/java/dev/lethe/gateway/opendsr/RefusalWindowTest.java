package dev.lethe.gateway.opendsr;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RefusalWindowTest {

    private static final Instant T = Instant.parse("2026-03-02T09:00:00Z");
    private final RefusalWindow window = new RefusalWindow();

    @Test
    void shouldLetOneRefusalPerKeyThroughPerMinute() {
        assertTrue(window.take("r-1\nanalytics", T));
        assertFalse(window.take("r-1\nanalytics", T.plusSeconds(59)));
        assertTrue(window.take("r-2\nanalytics", T.plusSeconds(1)), "another request has its own window");
        assertTrue(window.take("r-1\nanalytics", T.plusSeconds(60)));
    }

    @Test
    void shouldHoldNoMoreThanItsBoundUnderAFloodOfDistinctKeys() {
        for (int i = 0; i < RefusalWindow.MAX_KEYS; i++) {
            assertTrue(window.take("r-" + i, T));
        }

        assertFalse(window.take("one-too-many", T.plusSeconds(1)), "the window is full of live keys");
        assertTrue(window.take("one-too-many", T.plusSeconds(61)), "expired keys are forgotten");
    }
}
