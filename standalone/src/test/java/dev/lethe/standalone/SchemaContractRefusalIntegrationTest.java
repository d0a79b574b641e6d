package dev.lethe.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.ledger.LedgerApp;
import dev.lethe.ledger.LedgerConfig;
import dev.lethe.schemas.Topics;
import dev.lethe.schemas.registry.RestSchemaRegistryClient;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry whose {@code erasure.requests-value} already holds a schema Lethe's cannot read: the
 * ledger must not start, say which subject and why in its message, and write nothing.
 */
@Tag("integration")
class SchemaContractRefusalIntegrationTest {

    /** Someone else's schema, registered under Lethe's subject before Lethe ever started. */
    private static final Schema FOREIGN = new Schema.Parser().parse("""
            {"type": "record", "name": "Foreign", "namespace": "example",
             "fields": [{"name": "ticket", "type": "long"}]}
            """);

    @TempDir
    static Path dir;

    private static ItCluster cluster;

    @BeforeAll
    static void start() {
        cluster = ItCluster.withRegistry(dir);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void refusesToStartWhenTheRegistryRefusesLethesSchemaAndWritesNothing() {
        new RestSchemaRegistryClient(cluster.registryUrl()).register("erasure.requests-value", FOREIGN);
        final LedgerConfig config = LedgerConfig.fromEnvironment(LetheEnv.ledger(cluster, "lethe-it-contract-refusal",
                dir.resolve("streams"), LetheEnv.freePort(), LetheEnv.systemsFile(dir)));

        final IllegalStateException refused = assertThrows(IllegalStateException.class, () -> LedgerApp.start(config));

        assertTrue(refused.getMessage().contains("erasure.requests-value"), refused.getMessage());
        assertTrue(refused.getMessage().contains("incompatible"), refused.getMessage());
        assertEquals(0, TopicReader.endOffsetSum(cluster.admin(), Topics.SYSTEMS),
                "the systems file must not be published by a ledger that does not start");
    }
}
