package dev.lethe.ledger.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lethe.avro.AuditFact;
import dev.lethe.avro.RequestStatus;
import dev.lethe.schemas.LetheSerdes;
import dev.lethe.schemas.registry.InMemorySchemaRegistryClient;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AuditSerdeTest {

    private static final Instant T = Instant.parse("2026-03-01T09:00:00.123Z");
    private final LetheSerdes serdes = new LetheSerdes(new InMemorySchemaRegistryClient());
    private final AuditSerde serde = new AuditSerde(serdes.audit());

    private static List<AuditFact> trail() {
        final AuditFact received = AuditChain.link(AuditFact.newBuilder().setRequestId("r-1").setSeq(1).setAt(T)
                .setType("RECEIVED").setActor("accounts-service").setSubjectKey("sk-1")
                .setStatus(RequestStatus.RECEIVED).build(), null);
        final AuditFact dispatched = AuditChain.link(AuditFact.newBuilder().setRequestId("r-1").setSeq(2).setAt(T)
                .setType("DISPATCHED").setActor("ledger").setSystem("billing").setDetail("attempt 1 — ☃")
                .build(), received.getHash());
        return List.of(received, dispatched);
    }

    @Test
    void shouldReadBackTheFactsOfOneEventWithTheirHashChain() {
        final List<AuditFact> facts = trail();

        final List<AuditFact> read = serde.deserializer().deserialize("t", serde.serializer().serialize("t", facts));

        assertEquals(facts, read);
        assertNull(AuditChain.verify(read));
    }

    @Test
    void shouldReadAFactStoredAloneInTheOldAvroFormat() {
        final AuditFact fact = trail().get(0);
        final byte[] old = serdes.audit().serialize("lethe-ledger-audit-changelog", fact);

        assertEquals(List.of(fact), serde.deserializer().deserialize("lethe-ledger-audit-changelog", old));
    }

    @Test
    void refusesAValueOfAnUnknownFormat() {
        assertThrows(SerializationException.class, () -> serde.deserializer().deserialize("t", new byte[] {'X', 1}));
        assertThrows(SerializationException.class,
                () -> serde.deserializer().deserialize("t", new byte[] {AuditSerde.TAG, 2, 0}));
    }
}
