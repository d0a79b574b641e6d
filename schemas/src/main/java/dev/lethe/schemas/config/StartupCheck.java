package dev.lethe.schemas.config;

import java.io.PrintStream;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * How a main reads its configuration before it starts anything: on a {@link ConfigException} it
 * prints exactly one line, {@code lethe: configuration error: LETHE_X: <what is wrong>}, to the
 * error stream, and the caller exits with {@link ConfigException#EXIT_STATUS}.
 */
public final class StartupCheck {

    /** The prefix of the one line printed for a configuration error. */
    public static final String PREFIX = "lethe: configuration error: ";

    private StartupCheck() {
    }

    /** The settings {@code reader} returns, or empty after printing the one line for its error. */
    public static <T> Optional<T> read(Supplier<T> reader, PrintStream err) {
        try {
            return Optional.of(reader.get());
        } catch (ConfigException e) {
            err.println(PREFIX + e.getMessage());
            err.flush();
            return Optional.empty();
        }
    }
}
