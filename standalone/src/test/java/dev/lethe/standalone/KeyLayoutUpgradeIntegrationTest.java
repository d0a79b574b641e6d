package dev.lethe.standalone;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.ledger.KeyLayoutCheck;
import dev.lethe.ledger.LedgerApp;
import dev.lethe.ledger.LedgerConfig;
import dev.lethe.schemas.TopicProvisioner;
import dev.lethe.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster that holds data of the version that keyed every topic by a Confluent-Avro string:
 * the ledger refuses to start on it, with one line that says what to do, rather than lose its
 * open requests silently.
 */
@Tag("integration")
class KeyLayoutUpgradeIntegrationTest {

    private static final String ID = "7f6c3c1e-4b8e-4a57-9e51-0c7a6f1d2b9a";

    @TempDir
    static Path dir;

    private static ItCluster cluster;
    private static Map<String, String> env;

    @BeforeAll
    static void start() {
        cluster = ItCluster.withRegistry(dir);
        env = new HashMap<>(LetheEnv.ledger(cluster, "lethe-it-key-layout", dir.resolve("streams"),
                LetheEnv.freePort(), LetheEnv.systemsFile(dir)));
        new TopicProvisioner(cluster.admin(), Duration.ofSeconds(60))
                .ensure(Topics.all(LedgerConfig.fromEnvironment(env).topicSettings()));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void refusesToStartOnAuditFactsKeyedAsAvroUntilThisVersionHasWrittenItsOwn() throws Exception {
        // Given audit facts written by the previous version, keyed by Confluent-Avro strings, on both partitions
        final byte[] avroKey = cluster.serdes().storeKey().serialize(Topics.AUDIT, ID);
        write(avroKey, 0);
        write(avroKey, 1);

        // Then the ledger does not start, and says why and what to do
        final IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> LedgerApp.start(LedgerConfig.fromEnvironment(env)).close());
        assertTrue(refused.getMessage().contains("Confluent-Avro"), refused.getMessage());
        assertTrue(refused.getMessage().contains("LETHE_DATA_DIR"), refused.getMessage());

        // And once this version has written a fact (a text key), the check passes
        write(ID.getBytes(StandardCharsets.UTF_8), 1);
        assertDoesNotThrow(() -> KeyLayoutCheck.verify(cluster.bootstrapServers(), Duration.ofSeconds(30)));
    }

    private static void write(byte[] key, int partition) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.AUDIT, partition, key, "fact".getBytes(StandardCharsets.UTF_8)))
                    .get(30, TimeUnit.SECONDS);
        }
    }
}
