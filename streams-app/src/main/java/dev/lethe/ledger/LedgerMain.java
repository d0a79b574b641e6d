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

    public static void main(String[] args) {
        final Optional<LedgerConfig> config = StartupCheck.read(
                () -> LedgerConfig.fromEnvironment(System.getenv()), System.err);
        if (config.isEmpty()) {
            System.exit(ConfigException.EXIT_STATUS);
            return;
        }
        final LedgerApp app = LedgerApp.start(config.get());
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "lethe-ledger-shutdown"));
    }
}
