package dev.lethe.chaos;

import dev.lethe.standalone.registry.EmbeddedSchemaRegistry;

/**
 * The schema registry of the chaos cluster in its own JVM: {@code RegistryMain <bootstrap>
 * <port>}; the standalone run's registry (a compacted topic behind the Confluent REST API). Runs
 * until SIGTERM (closed cleanly) or SIGKILL.
 */
public final class RegistryMain {

    private RegistryMain() {
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: RegistryMain <bootstrap servers> <port>");
            System.exit(2);
        }
        final EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(args[0], Integer.parseInt(args[1])).start();
        Runtime.getRuntime().addShutdownHook(new Thread(registry::close, "chaos-registry-shutdown"));
    }
}
