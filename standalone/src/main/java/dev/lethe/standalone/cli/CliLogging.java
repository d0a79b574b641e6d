package dev.lethe.standalone.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import java.util.Iterator;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Logging for the command line: what a command prints on standard output is its answer (a script
 * may read it), so log lines go to standard error, and only warnings of Lethe's own code and
 * errors of the libraries it uses (the Kafka client warns of routine things) unless
 * {@code LETHE_LOG_LEVEL} says otherwise.
 */
public final class CliLogging {

    private CliLogging() {
    }

    public static void toStandardError(Map<String, String> environment) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        final String level = environment.get("LETHE_LOG_LEVEL");
        final Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(level == null || level.isBlank() ? Level.ERROR : Level.toLevel(level, Level.ERROR));
        context.getLogger("dev.lethe").setLevel(level == null || level.isBlank() ? Level.WARN
                : Level.toLevel(level, Level.WARN));
        context.getLogger("org.apache.kafka").setLevel(Level.ERROR);
        context.getLogger("org.apache.kafka.streams.KafkaStreams").setLevel(Level.ERROR);
        for (Iterator<Appender<ch.qos.logback.classic.spi.ILoggingEvent>> it = root.iteratorForAppenders();
             it.hasNext(); ) {
            if (it.next() instanceof ConsoleAppender<?> console) {
                console.stop();
                console.setTarget("System.err");
                console.start();
            }
        }
    }
}
