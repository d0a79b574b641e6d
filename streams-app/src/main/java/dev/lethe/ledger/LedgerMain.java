package dev.lethe.ledger;

import dev.lethe.schemas.config.ConfigException;
import dev.lethe.schemas.config.StartupCheck;
import java.util.Optional;

/**
 * Runs one streams-app instance from environment variables until the JVM is asked to stop. Every
 * setting is read and checked first: a configuration error prints one line
 * ({@link StartupCheck}) and exits with status {@value ConfigException#EXIT_STATUS} before
 * anything connects or listens.
 */
public final class LedgerMain {

    private LedgerMain() {
    }

    /** The exit status when the stream processing stopped for good (Kafka Streams in ERROR). */
    public static final int STREAMS_FAILED_STATUS = 3;

    public static void main(String[] args) {
        final Optional<LedgerConfig> config = StartupCheck.read(
                () -> LedgerConfig.fromEnvironment(System.getenv()), System.err);
        if (config.isEmpty()) {
            System.exit(ConfigException.EXIT_STATUS);
            return;
        }
        final LedgerApp app = LedgerApp.start(config.get(), LedgerMain::exitForARestart);
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "lethe-ledger-shutdown"));
    }

    /**
     * A ledger whose stream processing has stopped for good exits (status
     * {@value #STREAMS_FAILED_STATUS}, after its shutdown hook closed it), so that whatever runs it
     * (compose's {@code restart: unless-stopped}, Kubernetes) starts it again, instead of it staying
     * up answering 503 and processing nothing. From a thread of its own: the state listener that
     * calls this runs on a Kafka Streams thread, which the shutdown hook waits for.
     */
    private static void exitForARestart() {
        final Thread exit = new Thread(() -> System.exit(STREAMS_FAILED_STATUS), "lethe-ledger-exit");
        exit.start();
    }
}
