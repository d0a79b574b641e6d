package dev.lethe.gateway;

import dev.lethe.schemas.config.ConfigException;
import dev.lethe.schemas.config.Env;
import dev.lethe.schemas.config.LogSettings;
import dev.lethe.schemas.config.StartupCheck;
import dev.lethe.schemas.lifecycle.GracefulStop;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the gateway as its own service: settings from the environment ({@link GatewayConfig}),
 * every one read and checked first (a configuration error prints one line, {@link StartupCheck},
 * and exits with status {@value ConfigException#EXIT_STATUS} before anything listens), stopped by
 * SIGTERM, which closes it and exits 0 within {@link #STOP_BOUND} ({@link GracefulStop}).
 */
public final class GatewayMain {

    /** How long a stop may take: the HTTP server, the broker check and the producer's flush. */
    static final Duration STOP_BOUND = Duration.ofSeconds(20);

    private GatewayMain() {
    }

    public static void main(String[] args) {
        final Optional<GatewayConfig> config = StartupCheck.read(
                () -> read(System.getenv()), System.err);
        if (config.isEmpty()) {
            System.exit(ConfigException.EXIT_STATUS);
            return;
        }
        final GracefulStop stop = GracefulStop.install("lethe-gateway", STOP_BOUND);
        final GatewayServer server = new GatewayServer(config.get());
        stop.onStop(server::close);
        server.start();
    }

    /** The logging settings and the service's own, each checked. */
    private static GatewayConfig read(Map<String, String> env) {
        LogSettings.verify(Env.of(env));
        return GatewayConfig.fromEnvironment(env);
    }
}
