package dev.lethe.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.schemas.Topics;
import dev.lethe.schemas.registry.InMemorySchemaRegistryClient;
import dev.lethe.schemas.serde.AvroCodec;
import dev.lethe.schemas.serde.ConfluentAvroSerde;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The ledger refuses data of the Avro-keyed layout until this version has written its own. */
class KeyLayoutCheckTest {

    private static final byte[] AVRO = new ConfluentAvroSerde<>(new InMemorySchemaRegistryClient(), AvroCodec.string(),
            true).serialize(Topics.AUDIT, "7f6c3c1e-4b8e-4a57-9e51-0c7a6f1d2b9a");
    private static final byte[] TEXT = "7f6c3c1e-4b8e-4a57-9e51-0c7a6f1d2b9a".getBytes(StandardCharsets.UTF_8);

    @Test
    void shouldAcceptAnEmptyAuditTopic() {
        assertEquals(Optional.empty(), KeyLayoutCheck.problem(List.of()));
    }

    @Test
    void shouldRefuseWhenTheNewestAuditFactsAreAllAvroKeyed() {
        final Optional<String> problem = KeyLayoutCheck.problem(List.of(AVRO, AVRO));

        assertTrue(problem.orElseThrow().contains("LETHE_DATA_DIR"), problem.get());
        assertTrue(problem.get().contains("Confluent-Avro"), problem.get());
        assertTrue(!problem.get().contains("\n"), "one line");
    }

    @Test
    void shouldAcceptOnceThisVersionHasWrittenATextKeyedFactAnywhere() {
        assertEquals(Optional.empty(), KeyLayoutCheck.problem(List.of(AVRO, TEXT, AVRO)));
        assertEquals(Optional.empty(), KeyLayoutCheck.problem(List.of(TEXT)));
    }
}
