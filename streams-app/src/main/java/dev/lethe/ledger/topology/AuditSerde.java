package dev.lethe.ledger.topology;

import dev.lethe.avro.AuditFact;
import dev.lethe.avro.RequestStatus;
import dev.lethe.schemas.serde.ConfluentAvroSerde;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The value format of the {@code audit} store and its changelog: the audit facts one event added
 * to a request's trail, together, under the key of the first of them ({@link AuditKeys}), so that
 * an event that audits twelve facts (a request approved and dispatched to ten systems) costs one
 * store write and one changelog record, not twelve. Each fact is kept whole, its hash chain
 * included, in a compact binary encoding ({@link CompactBytes}); the facts on {@code erasure.audit}
 * are unchanged, one record per fact.
 *
 * <p>A value starts with the tag byte {@code 'A'} and a format version ({@code 1}). A value that
 * starts with the Confluent magic byte {@code 0} is the single Avro {@code AuditFact} that earlier
 * versions stored under each fact's own key (a changelog written by them still holds it): it is
 * read with the Avro serde as a trail piece of one fact, the migration on read. Only the compact
 * format is written.
 */
public final class AuditSerde implements Serde<List<AuditFact>> {

    static final byte TAG = 'A';
    static final byte VERSION = 1;

    private final ConfluentAvroSerde<AuditFact> legacy;

    /** @param legacy the Avro serde of the format stored before, for the migration on read */
    public AuditSerde(ConfluentAvroSerde<AuditFact> legacy) {
        this.legacy = legacy;
    }

    @Override
    public Serializer<List<AuditFact>> serializer() {
        return (topic, facts) -> facts == null ? null : encode(facts);
    }

    @Override
    public Deserializer<List<AuditFact>> deserializer() {
        return this::decode;
    }

    static byte[] encode(List<AuditFact> facts) {
        final CompactBytes.Writer w = new CompactBytes.Writer(64 + 320 * facts.size());
        w.raw(TAG).raw(VERSION).varInt(facts.size());
        for (AuditFact f : facts) {
            w.string(f.getRequestId()).varInt(f.getSeq()).time(f.getAt()).string(f.getType()).string(f.getActor())
                    .string(f.getSystem()).string(f.getDetail()).string(f.getSubjectKey()).name(f.getStatus())
                    .string(f.getPrevHash()).string(f.getHash());
        }
        return w.toBytes();
    }

    List<AuditFact> decode(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (bytes.length > 0 && bytes[0] == ConfluentAvroSerde.MAGIC_BYTE) {
            return List.of(legacy.deserialize(topic, bytes));
        }
        if (bytes.length < 2 || bytes[0] != TAG) {
            throw new SerializationException("not an audit trail piece: unknown format tag");
        }
        if (bytes[1] != VERSION) {
            throw new SerializationException("audit format version " + bytes[1] + " is newer than this ledger"
                    + " reads (" + VERSION + ")");
        }
        final CompactBytes.Reader r = new CompactBytes.Reader(bytes, 2);
        final List<AuditFact> facts = r.list(x -> AuditFact.newBuilder()
                .setRequestId(x.string()).setSeq(x.varInt()).setAt(x.time()).setType(x.string())
                .setActor(x.string()).setSystem(x.string()).setDetail(x.string()).setSubjectKey(x.string())
                .setStatus(x.name(RequestStatus.class)).setPrevHash(x.string()).setHash(x.string()).build());
        if (!r.atEnd()) {
            throw new SerializationException("audit trail piece has trailing bytes");
        }
        return List.copyOf(facts);
    }
}
