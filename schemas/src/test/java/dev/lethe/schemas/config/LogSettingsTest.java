package dev.lethe.schemas.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LogSettingsTest {

    @Test
    void shouldTakeTheDefaultsAndEveryDocumentedValue() {
        assertDoesNotThrow(() -> LogSettings.verify(Env.of(Map.of())));
        assertDoesNotThrow(() -> LogSettings.verify(Env.of(Map.of("LETHE_LOG_LEVEL", "debug", "LETHE_LOG_FORMAT", "json"))));
        assertDoesNotThrow(() -> LogSettings.verify(Env.of(Map.of("LETHE_LOG_LEVEL", "WARN", "LETHE_LOG_FORMAT", "text"))));
    }

    @Test
    void refusesAFormatLogbackWouldSilentlyDrop() {
        final ConfigException e = assertThrows(ConfigException.class,
                () -> LogSettings.verify(Env.of(Map.of("LETHE_LOG_FORMAT", "JSON"))));
        assertEquals(true, e.getMessage().contains("LETHE_LOG_FORMAT"), e.getMessage());
    }

    @Test
    void refusesAnUnknownLevel() {
        final ConfigException e = assertThrows(ConfigException.class,
                () -> LogSettings.verify(Env.of(Map.of("LETHE_LOG_LEVEL", "verbose"))));
        assertEquals(true, e.getMessage().contains("LETHE_LOG_LEVEL"), e.getMessage());
    }
}
