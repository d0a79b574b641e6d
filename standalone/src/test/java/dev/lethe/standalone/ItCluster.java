package dev.lethe.standalone;

import dev.lethe.schemas.LetheSerdes;
import dev.lethe.schemas.registry.RestSchemaRegistryClient;
import dev.lethe.standalone.kafka.EmbeddedKafkaBroker;
import dev.lethe.standalone.registry.EmbeddedSchemaRegistry;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * One in-process KRaft broker and one schema registry for an integration test class, shared by
 * its tests ({@code @BeforeAll} / {@code @AfterAll}). Every byte lives under the given folder.
 */
final class ItCluster implements AutoCloseable {

    private final EmbeddedKafkaBroker broker;
    private final EmbeddedSchemaRegistry registry;
    private final LetheSerdes serdes;
    private final Admin admin;

    private ItCluster(EmbeddedKafkaBroker broker, EmbeddedSchemaRegistry registry) {
        this.broker = broker;
        this.registry = registry;
        this.serdes = registry == null ? null : new LetheSerdes(new RestSchemaRegistryClient(registry.url()));
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    /** A broker and a registry under {@code dataDir}. */
    static ItCluster withRegistry(Path dataDir) {
        final EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.onFreePorts(dataDir.resolve("kafka")).start();
        try {
            return new ItCluster(broker, new EmbeddedSchemaRegistry(broker.bootstrapServers(), 0).start());
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    /** A broker alone under {@code dataDir}. */
    static ItCluster brokerOnly(Path dataDir) {
        return new ItCluster(EmbeddedKafkaBroker.onFreePorts(dataDir.resolve("kafka")).start(), null);
    }

    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    String registryUrl() {
        return registry.url();
    }

    /** Lethe's serdes against this registry. */
    LetheSerdes serdes() {
        return serdes;
    }

    /** An admin client owned by this cluster (closed with it). */
    Admin admin() {
        return admin;
    }

    @Override
    public void close() {
        admin.close();
        if (registry != null) {
            registry.close();
        }
        broker.close();
    }
}
