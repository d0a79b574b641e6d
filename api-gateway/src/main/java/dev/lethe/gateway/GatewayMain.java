package dev.lethe.gateway;

/**
 * Runs the gateway as its own service: settings from the environment ({@link GatewayConfig}),
 * stopped by a shutdown hook.
 */
public final class GatewayMain {

    private GatewayMain() {
    }

    public static void main(String[] args) {
        final GatewayServer server = new GatewayServer(GatewayConfig.fromEnvironment(System.getenv()));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "lethe-gateway-shutdown"));
        server.start();
    }
}
