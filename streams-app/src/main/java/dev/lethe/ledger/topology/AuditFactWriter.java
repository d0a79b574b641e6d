package dev.lethe.ledger.topology;

import dev.lethe.avro.AuditFact;
import dev.lethe.schemas.serde.ConfluentAvroSerde;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes the facts of {@code erasure.audit} by hand, byte for byte what the Avro serde writes
 * (the Confluent wire format: magic byte, the schema id the serde registered for the topic, then
 * the Avro binary encoding of {@code AuditFact.avsc}'s fields in order), without Avro's
 * schema-driven writer: the ledger writes one fact per audited step, about two per input event,
 * and the generic writer showed in profiles. The schema id comes from the Avro serde itself (it
 * registers the schema the first time it writes for a topic), so the contract is unchanged; a
 * test compares the bytes with the serde's for facts of every shape.
 */
final class AuditFactWriter implements Serializer<AuditFact> {

    /** A fact that exists only to learn the serde's header (magic byte and schema id) for a topic. */
    private static final AuditFact PROBE = AuditFact.newBuilder().setRequestId("probe").setSeq(1)
            .setAt(Instant.EPOCH).setType("PROBE").setActor("lethe").build();
    private static final int HEADER_BYTES = 5;

    private final ConfluentAvroSerde<AuditFact> avro;
    private final Map<String, byte[]> headers = new ConcurrentHashMap<>();

    AuditFactWriter(ConfluentAvroSerde<AuditFact> avro) {
        this.avro = avro;
    }

    @Override
    public byte[] serialize(String topic, AuditFact f) {
        if (f == null) {
            return null;
        }
        final byte[] header = headers.computeIfAbsent(topic == null ? "" : topic,
                t -> Arrays.copyOf(avro.serialize(topic, PROBE), HEADER_BYTES));
        final CompactBytes.Writer w = new CompactBytes.Writer(HEADER_BYTES + 320);
        for (byte b : header) {
            w.raw(b);
        }
        w.utf8(f.getRequestId()).varInt(f.getSeq()).varLong(f.getAt().toEpochMilli()).utf8(f.getType())
                .utf8(f.getActor());
        optional(w, f.getSystem());
        optional(w, f.getDetail());
        optional(w, f.getSubjectKey());
        if (f.getStatus() == null) {
            w.varInt(0);
        } else {
            w.varInt(1).varInt(f.getStatus().ordinal());
        }
        optional(w, f.getPrevHash());
        optional(w, f.getHash());
        return w.toBytes();
    }

    /** A {@code ["null", "string"]} union: branch 0 for none, else branch 1 and the string. */
    private static void optional(CompactBytes.Writer w, String value) {
        if (value == null) {
            w.varInt(0);
        } else {
            w.varInt(1).utf8(value);
        }
    }
}
