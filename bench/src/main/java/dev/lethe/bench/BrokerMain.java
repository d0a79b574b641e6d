package dev.lethe.bench;

import dev.lethe.standalone.kafka.EmbeddedKafkaBroker;
import dev.lethe.standalone.registry.EmbeddedSchemaRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * The broker's own JVM: starts a KRaft broker and a schema registry on free loopback ports with
 * their data under the folder given as the only argument, prints one line
 * {@code LETHE-BENCH-BROKER <bootstrap> <registry url>}, and runs until its standard input is
 * closed (the harness closes it, or dies), then stops both.
 */
public final class BrokerMain {

    static final String READY = "LETHE-BENCH-BROKER";

    private BrokerMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: BrokerMain <data dir>");
            System.exit(2);
        }
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.onFreePorts(Path.of(args[0]).resolve("kafka")).start();
             EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(broker.bootstrapServers(), 0).start()) {
            System.out.println(READY + " " + broker.bootstrapServers() + " " + registry.url());
            System.out.flush();
            final InputStream in = System.in;
            while (in.read() >= 0) {
                // Reads until the parent closes our stdin.
            }
        }
        System.exit(0);
    }
}
