package dev.lethe.ledger.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lethe.avro.AuditFact;
import dev.lethe.avro.RequestStatus;
import dev.lethe.schemas.LetheSerdes;
import dev.lethe.schemas.Topics;
import dev.lethe.schemas.registry.InMemorySchemaRegistryClient;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuditFactWriterTest {

    private final LetheSerdes serdes = new LetheSerdes(new InMemorySchemaRegistryClient());
    private final AuditFactWriter writer = new AuditFactWriter(serdes.audit());

    @Test
    void shouldWriteTheSameBytesAsTheAvroSerdeForFactsOfEveryShape() {
        final AuditFact bare = AuditFact.newBuilder().setRequestId("r-1").setSeq(1)
                .setAt(Instant.parse("2026-03-01T09:00:00.123Z")).setType("RECEIVED").setActor("intake").build();
        assertSameBytes(bare);
        assertSameBytes(AuditChain.link(bare, null));
        for (RequestStatus status : RequestStatus.values()) {
            assertSameBytes(AuditChain.link(AuditFact.newBuilder(bare).setSeq(300_000).setStatus(status)
                    .setSystem("billing").setDetail("kept invoices — tax law ☃ 税").setSubjectKey("sk")
                    .setAt(Instant.ofEpochMilli(-1)).build(), "ab".repeat(32)));
        }
        assertSameBytes(AuditFact.newBuilder(bare).setSeq(Integer.MAX_VALUE).setType("x".repeat(300)).build());
    }

    @Test
    void shouldBeReadBackByTheAvroSerde() {
        final AuditFact fact = AuditChain.link(AuditFact.newBuilder().setRequestId("r-1").setSeq(2)
                .setAt(Instant.parse("2026-03-01T09:00:00Z")).setType("DISPATCHED").setActor("ledger")
                .setSystem("crm").build(), "cd".repeat(32));

        assertEquals(fact, serdes.audit().deserialize(Topics.AUDIT, writer.serialize(Topics.AUDIT, fact)));
    }

    private void assertSameBytes(AuditFact fact) {
        assertArrayEquals(serdes.audit().serialize(Topics.AUDIT, fact), writer.serialize(Topics.AUDIT, fact),
                fact.toString());
    }
}
