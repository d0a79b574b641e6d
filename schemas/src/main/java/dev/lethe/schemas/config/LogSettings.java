package dev.lethe.schemas.config;

import java.util.List;
import java.util.Locale;

/**
 * The two logging settings every service reads (through its {@code logback.xml}, which includes
 * {@code dev/lethe/logging/logback-lethe.xml}): {@value #LEVEL} and {@value #FORMAT}. Logback
 * itself would take a misspelt value silently (an unknown format leaves the log empty), so each
 * main checks them first with the rest of its configuration.
 */
public final class LogSettings {

    public static final String LEVEL = "LETHE_LOG_LEVEL";
    public static final String FORMAT = "LETHE_LOG_FORMAT";
    static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");
    static final List<String> FORMATS = List.of("text", "json");

    private LogSettings() {
    }

    /** @throws ConfigException naming the variable when either is set to something logback would not take */
    public static void verify(Env env) {
        env.parsed(LEVEL, "INFO", value -> oneOf(value.toUpperCase(Locale.ROOT), LEVELS, value));
        env.parsed(FORMAT, "text", value -> oneOf(value, FORMATS, value));
    }

    private static String oneOf(String value, List<String> allowed, String given) {
        if (!allowed.contains(value)) {
            throw new IllegalArgumentException("must be one of " + String.join(", ", allowed) + ", got '" + given + "'");
        }
        return value;
    }
}
