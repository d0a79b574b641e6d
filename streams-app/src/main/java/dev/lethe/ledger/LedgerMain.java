package dev.lethe.ledger;

import dev.lethe.schemas.config.ConfigException;
import dev.lethe.schemas.config.Env;
import dev.lethe.schemas.config.LogSettings;
import dev.lethe.schemas.config.StartupCheck;
import dev.lethe.schemas.lifecycle.GracefulStop;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Runs one streams-app instance from environment variables until the JVM is asked to stop. Every
 * setting is read and checked first: a configuration error prints one line
 * ({@link StartupCheck}) and exits with status {@value ConfigException#EXIT_STATUS} before
 * anything connects or listens. SIGTERM closes the instance (executors, query server, Kafka
 * Streams, leaving the group) and exits 0, within {@link #STOP_BOUND} ({@link GracefulStop}).
 */
public final class LedgerMain {

    /**
     * How long a stop may take: the streams client's close (up to 30 s, leaving the group) and the
     * executors'; the Kubernetes manifests give the pod a longer grace period than this.
     */
    static final Duration STOP_BOUND = Duration.ofSeconds(45);

    private LedgerMain() {
    }

    /** The exit status when the stream processing stopped for good (Kafka Streams in ERROR). */
    public static final int STREAMS_FAILED_STATUS = 4;

    public static void main(String[] args) {
        final Optional<LedgerConfig> config = StartupCheck.read(
                () -> read(System.getenv()), System.err);
        if (config.isEmpty()) {
            System.exit(ConfigException.EXIT_STATUS);
            return;
        }
        final GracefulStop stop = GracefulStop.install("lethe-ledger", STOP_BOUND);
        final LedgerApp app = LedgerApp.start(config.get(), LedgerMain::exitForARestart);
        stop.onStop(app::close);
    }

    /** The logging settings and the service's own, each checked. */
    private static LedgerConfig read(Map<String, String> env) {
        LogSettings.verify(Env.of(env));
        return LedgerConfig.fromEnvironment(env);
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
