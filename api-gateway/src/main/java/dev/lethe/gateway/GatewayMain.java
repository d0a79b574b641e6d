package dev.lethe.gateway;

import dev.lethe.schemas.config.ConfigException;
import dev.lethe.schemas.config.StartupCheck;
import java.util.Optional;

/**
 * Runs the gateway as its own service: settings from the environment ({@link GatewayConfig}),
 * every one read and checked first (a configuration error prints one line, {@link StartupCheck},
 * and exits with status {@value ConfigException#EXIT_STATUS} before anything listens), stopped by
 * a shutdown hook.
 */
public final class GatewayMain {

    private GatewayMain() {
    }

    public static void main(String[] args) {
        final Optional<GatewayConfig> config = StartupCheck.read(
                () -> GatewayConfig.fromEnvironment(System.getenv()), System.err);
        if (config.isEmpty()) {
            System.exit(ConfigException.EXIT_STATUS);
            return;
        }
        final GatewayServer server = new GatewayServer(config.get());
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "lethe-gateway-shutdown"));
        server.start();
    }
}
