package dev.lethe.standalone;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.LoggerFactory;

/**
 * Runs this JVM's logging as a Lethe service runs it ({@code logback-lethe.xml}) at a given
 * {@code LETHE_LOG_LEVEL}, with both formats (text and JSON) written to files under a folder rather
 * than to the console, until {@link #close()} puts the tests' logging back.
 */
final class LogCapture implements AutoCloseable {

    /** The text log; the JSON one is {@code lethe.json.log} next to it. */
    static final String TEXT = "lethe.log";
    static final String JSON = "lethe.json.log";

    private final Path dir;

    private LogCapture(Path dir) {
        this.dir = dir;
    }

    static LogCapture start(Path dir, String level) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        final LoggerContext context = configure("logback-capture.xml", dir, level);
        // the included file also sends every line to the console: the files are enough
        context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender("text");
        context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender("json");
        return new LogCapture(dir);
    }

    Path dir() {
        return dir;
    }

    /** Every line of both files that contains any of {@code raw} (ASCII letters in any case). */
    List<String> linesContaining(List<String> raw) {
        final List<String> hits = new ArrayList<>();
        for (String file : List.of(TEXT, JSON)) {
            try (var lines = Files.lines(dir.resolve(file), StandardCharsets.UTF_8)) {
                lines.forEach(line -> {
                    final String lower = line.toLowerCase(Locale.ROOT);
                    if (raw.stream().anyMatch(value -> lower.contains(value.toLowerCase(Locale.ROOT)))) {
                        hits.add(file + ": " + line);
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return hits;
    }

    /** How many lines each logger wrote, most first (to see what a level prints). */
    java.util.Map<String, Long> linesPerLogger() {
        try (var lines = Files.lines(dir.resolve(TEXT), StandardCharsets.UTF_8)) {
            final java.util.Map<String, Long> counts = lines.map(line -> line.split(" ", 5))
                    .filter(parts -> parts.length > 1).collect(java.util.stream.Collectors.groupingBy(
                            parts -> parts[1], java.util.stream.Collectors.counting()));
            final java.util.Map<String, Long> sorted = new java.util.LinkedHashMap<>();
            counts.entrySet().stream().sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(entry -> sorted.put(entry.getKey(), entry.getValue()));
            return sorted;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long lines() {
        try (var lines = Files.lines(dir.resolve(TEXT), StandardCharsets.UTF_8)) {
            return lines.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tests' own logging again ({@code logback-test.xml}). */
    @Override
    public void close() {
        final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        final JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(Objects.requireNonNull(LogCapture.class.getClassLoader().getResource("logback-test.xml")));
        } catch (JoranException e) {
            throw new IllegalStateException(e);
        }
    }

    private static LoggerContext configure(String resource, Path dir, String level) {
        final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        context.putProperty("LETHE_LOG_LEVEL", level);
        context.putProperty("LETHE_LOG_FORMAT", "text");
        context.putProperty("CAPTURE_DIR", dir.toAbsolutePath().toString());
        final JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(Objects.requireNonNull(LogCapture.class.getClassLoader().getResource(resource)));
        } catch (JoranException e) {
            throw new IllegalStateException("cannot configure logging from " + resource, e);
        }
        return context;
    }
}
