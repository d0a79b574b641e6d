package dev.lethe.standalone.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.avro.ErasureRequested;
import dev.lethe.schemas.registry.Compatibility;
import dev.lethe.schemas.registry.RestSchemaRegistryClient;
import dev.lethe.standalone.kafka.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
class EmbeddedSchemaRegistryRestartTest {

    private static final Schema STRING = Schema.create(Schema.Type.STRING);
    private static final Schema REQUESTED = ErasureRequested.getClassSchema();

    @TempDir
    Path dataDir;

    @Test
    void shouldServeTheSameIdsAndLevelsAfterTheRegistryAndTheBrokerRestart() throws Exception {
        // Given schemas registered before a restart
        final int clientPort;
        final int controllerPort;
        final int requestedId;
        final int stringId;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.onFreePorts(dataDir).start();
             EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(broker.bootstrapServers(), 0).start()) {
            clientPort = broker.clientPort();
            controllerPort = broker.controllerPort();
            final RestSchemaRegistryClient client = new RestSchemaRegistryClient(registry.url());
            requestedId = client.register("erasure.requests-value", REQUESTED);
            stringId = client.register("erasure.requests-key", STRING);
            client.register("erasure.decisions-key", STRING);
            client.setCompatibility("erasure.requests-value", Compatibility.BACKWARD_TRANSITIVE);
        }

        // When both start again on the same data
        try (EmbeddedKafkaBroker broker =
                     new EmbeddedKafkaBroker(dataDir, clientPort, controllerPort, Map.of()).start();
             EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(broker.bootstrapServers(), 0).start()) {
            final RestSchemaRegistryClient client = new RestSchemaRegistryClient(registry.url());
            final RegistryHttp http = new RegistryHttp(registry.url());

            // Then the same ids are served, re-registering changes nothing, and new schemas get new ids
            assertEquals(REQUESTED, client.schemaById(requestedId));
            assertEquals(STRING, client.schemaById(stringId));
            assertEquals(requestedId, client.register("erasure.requests-value", REQUESTED));
            assertEquals(stringId, client.register("erasure.decisions-key", STRING));
            assertEquals("[1]", http.get("/subjects/erasure.requests-value/versions").body().toString());
            assertEquals("[\"erasure.decisions-key\",\"erasure.requests-key\",\"erasure.requests-value\"]",
                    http.get("/subjects").body().toString());
            final int newId = client.register("erasure.requests-value",
                    EmbeddedSchemaRegistryTest.withField(REQUESTED, "channel", true));
            assertTrue(newId > Math.max(requestedId, stringId), "new id " + newId);
            assertEquals(Optional.of(Compatibility.BACKWARD_TRANSITIVE), client.compatibility("erasure.requests-value"));
            assertEquals(Optional.empty(), client.compatibility("erasure.requests-key"));
        }
    }
}
