package dev.lethe.ledger.topology;

import dev.lethe.ledger.domain.Attention;
import dev.lethe.ledger.domain.Callback;
import dev.lethe.ledger.domain.Identifier;
import dev.lethe.ledger.domain.Outcome;
import dev.lethe.ledger.domain.RequestState;
import dev.lethe.ledger.domain.RequestStatus;
import dev.lethe.ledger.domain.Scope;
import dev.lethe.ledger.domain.SystemStatus;
import dev.lethe.ledger.domain.SystemTarget;
import dev.lethe.schemas.serde.ConfluentAvroSerde;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The value format of the {@code ledger} store and its changelog: the domain {@link RequestState}
 * in a compact binary encoding ({@link CompactBytes}), written straight from the domain record
 * without building the Avro {@code RequestState} and without Avro's schema-driven writer.
 *
 * <p>A value starts with the tag byte {@code 'L'} and a format version ({@code 1}). A value that
 * starts with the Confluent magic byte {@code 0} is the Avro {@code RequestState} that earlier
 * versions stored (and that a changelog written by them still holds): it is read with the Avro
 * serde and mapped ({@link AvroMapping#state(dev.lethe.avro.RequestState)}), the migration on read,
 * and stored in the new format the next time the request changes. Only the compact format is
 * written.
 */
public final class StateSerde implements Serde<RequestState> {

    static final byte TAG = 'L';
    static final byte VERSION = 1;

    private final ConfluentAvroSerde<dev.lethe.avro.RequestState> legacy;

    /** @param legacy the Avro serde of the format stored before, for the migration on read */
    public StateSerde(ConfluentAvroSerde<dev.lethe.avro.RequestState> legacy) {
        this.legacy = legacy;
    }

    @Override
    public Serializer<RequestState> serializer() {
        return (topic, state) -> state == null ? null : encode(state);
    }

    @Override
    public Deserializer<RequestState> deserializer() {
        return this::decode;
    }

    /** The compact encoding of {@code s}. */
    static byte[] encode(RequestState s) {
        final CompactBytes.Writer w = new CompactBytes.Writer(256 + 96 * s.systems().size());
        w.raw(TAG).raw(VERSION);
        w.string(s.requestId()).name(s.status()).string(s.subjectKey());
        identifier(w, s.subject());
        w.varInt(s.identifiers().size());
        s.identifiers().forEach(id -> identifier(w, id));
        w.strings(s.objects()).strings(s.namespaces());
        w.string(s.jurisdiction()).string(s.reason()).string(s.source());
        w.strings(s.scope().systems()).strings(s.scope().exclude());
        w.varInt(s.graceDays());
        w.time(s.requestedAt()).time(s.deadline()).time(s.finishedAt()).time(s.updatedAt());
        w.varInt(s.systems().size());
        for (SystemTarget t : s.systems()) {
            w.string(t.name()).name(t.status()).varInt(t.attempts()).time(t.updatedAt())
                    .optionalLong(t.itemsErased()).string(t.detail()).string(t.legalBasis())
                    .time(t.deadline()).time(t.nextReminderAt()).varInt(t.sent()).varInt(t.reminderHours())
                    .varInt(t.maxAttempts()).bool(t.manual()).bool(t.overdueAudited());
            w.varInt(t.contradictions().size());
            t.contradictions().forEach(w::name);
        }
        w.varInt(s.earlyCallbacks().size());
        for (Callback c : s.earlyCallbacks()) {
            w.string(c.eventId()).string(c.requestId()).string(c.system()).time(c.at()).string(c.actor())
                    .name(c.outcome()).optionalLong(c.itemsErased()).string(c.detail()).string(c.legalBasis());
        }
        w.varInt(s.auditSeq()).string(s.fingerprint()).string(s.auditHead()).time(s.baseDeadline())
                .varInt(s.extensions()).bool(s.overdueAudited());
        w.varInt(s.attention().size());
        s.attention().forEach(w::name);
        w.string(s.duplicateOf());
        return w.toBytes();
    }

    /** Reads either format (see the class comment); null for null. */
    RequestState decode(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (bytes.length > 0 && bytes[0] == ConfluentAvroSerde.MAGIC_BYTE) {
            return AvroMapping.state(legacy.deserialize(topic, bytes));
        }
        if (bytes.length < 2 || bytes[0] != TAG) {
            throw new SerializationException("not a ledger state: unknown format tag");
        }
        if (bytes[1] != VERSION) {
            throw new SerializationException("ledger state format version " + bytes[1] + " is newer than this"
                    + " ledger reads (" + VERSION + ")");
        }
        final CompactBytes.Reader r = new CompactBytes.Reader(bytes, 2);
        final String requestId = r.string();
        final RequestStatus status = r.name(RequestStatus.class);
        final String subjectKey = r.string();
        final Identifier subject = identifier(r);
        final var identifiers = r.list(StateSerde::identifier);
        final var objects = r.strings();
        final var namespaces = r.strings();
        final String jurisdiction = r.string();
        final String reason = r.string();
        final String source = r.string();
        final Scope scope = new Scope(r.strings(), r.strings());
        final int graceDays = r.varInt();
        final var requestedAt = r.time();
        final var deadline = r.time();
        final var finishedAt = r.time();
        final var updatedAt = r.time();
        final var systems = r.list(x -> new SystemTarget(x.string(), x.name(SystemStatus.class), x.varInt(),
                x.time(), x.optionalLong(), x.string(), x.string(), x.time(), x.time(), x.varInt(), x.varInt(),
                x.varInt(), x.bool(), x.bool(), x.list(y -> y.name(Outcome.class))));
        final var early = r.list(x -> new Callback(x.string(), x.string(), x.string(), x.time(), x.string(),
                x.name(Outcome.class), x.optionalLong(), x.string(), x.string()));
        final int auditSeq = r.varInt();
        final String fingerprint = r.string();
        final String auditHead = r.string();
        final var baseDeadline = r.time();
        final int extensions = r.varInt();
        final boolean overdueAudited = r.bool();
        final var attention = r.list(x -> x.name(Attention.class));
        final String duplicateOf = r.string();
        if (!r.atEnd()) {
            throw new SerializationException("ledger state of request " + requestId + " has trailing bytes");
        }
        return new RequestState(requestId, status, subjectKey, subject, identifiers, objects, namespaces,
                jurisdiction, reason, source, scope, graceDays, requestedAt, deadline, finishedAt, updatedAt,
                systems, early, auditSeq, fingerprint, auditHead, baseDeadline, extensions, overdueAudited,
                attention, duplicateOf);
    }

    private static void identifier(CompactBytes.Writer w, Identifier id) {
        if (id == null) {
            w.raw(0);
        } else {
            w.raw(1).string(id.namespace()).string(id.value());
        }
    }

    private static Identifier identifier(CompactBytes.Reader r) {
        return r.raw() == 0 ? null : new Identifier(r.string(), r.string());
    }
}
