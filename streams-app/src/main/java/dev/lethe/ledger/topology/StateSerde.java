package dev.lethe.ledger.topology;

import dev.lethe.ledger.domain.Attention;
import dev.lethe.ledger.domain.Callback;
import dev.lethe.ledger.domain.Identifier;
import dev.lethe.ledger.domain.Outcome;
import dev.lethe.ledger.domain.Portal;
import dev.lethe.ledger.domain.RequestState;
import dev.lethe.ledger.domain.RequestStatus;
import dev.lethe.ledger.domain.Scope;
import dev.lethe.ledger.domain.SystemStatus;
import dev.lethe.ledger.domain.SystemTarget;
import dev.lethe.ledger.domain.WrappedKey;
import dev.lethe.avro.SealedIdentifiers;
import dev.lethe.schemas.crypto.KeyWrapper;
import dev.lethe.schemas.crypto.SealException;
import dev.lethe.schemas.crypto.Sealing;
import dev.lethe.schemas.serde.ConfluentAvroSerde;
import java.util.List;
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
 *
 * <p>Version {@code 2} (issue 12) is written for a state that has a data key: in place of the
 * subject, identifiers and objects it holds the data key wrapped by the key-encryption key and
 * those values sealed under it ({@link Sealing}, the request id as associated data), so neither
 * the store nor its changelog holds a raw identifier. Version 1 (a state without a data key:
 * kept callbacks only, or stored before issue 12) is still read, and still written for such a
 * state.
 *
 * <p>Versions {@code 3} (plain) and {@code 4} (sealed), issue 16, are versions 1 and 2 followed by
 * the request's OpenDSR {@link Portal} (a presence byte, then its {@code subject_request_id},
 * {@code controller_id}, {@code expected_completion_time} and callback URLs, none of them an identifier). They are
 * written only for a state that has a portal; a state without one is still written as version 1 or 2,
 * byte for byte as before issue 16, so a ledger of an earlier release reads it (rolling upgrade, rollback).
 * A state with a portal cannot be read by a ledger before issue 16.
 */
public final class StateSerde implements Serde<RequestState> {

    static final byte TAG = 'L';
    /** The version written for a state without a data key that has an OpenDSR portal. */
    static final byte VERSION = 3;
    /** The version written for a sealed state (under its data key) that has an OpenDSR portal. */
    static final byte SEALED_VERSION = 4;
    /** Versions 1 and 2: as 3 and 4 without the OpenDSR portal at the end, written for a state without one. */
    static final byte PLAIN_V1 = 1;
    static final byte SEALED_V2 = 2;

    private final ConfluentAvroSerde<dev.lethe.avro.RequestState> legacy;
    private final Sealing sealing;

    /** A serde that reads and writes states without a data key only (tools and tests). */
    public StateSerde(ConfluentAvroSerde<dev.lethe.avro.RequestState> legacy) {
        this(legacy, null);
    }

    /**
     * @param legacy  the Avro serde of the format stored before, for the migration on read
     * @param sealing wraps and unwraps data keys; null for a serde that never meets one
     */
    public StateSerde(ConfluentAvroSerde<dev.lethe.avro.RequestState> legacy, Sealing sealing) {
        this.legacy = legacy;
        this.sealing = sealing;
    }

    @Override
    public Serializer<RequestState> serializer() {
        return (topic, state) -> state == null ? null : state.dataKey() == null ? encode(state) : encodeSealed(state);
    }

    /** The compact encoding of {@code s}, its values sealed under its data key. */
    byte[] encodeSealed(RequestState s) {
        if (sealing == null) {
            throw new SerializationException("a state with a data key needs a key-encryption key to be stored");
        }
        final CompactBytes.Writer w = new CompactBytes.Writer(320 + 96 * s.systems().size());
        w.raw(TAG).raw(s.portal() == null ? SEALED_V2 : SEALED_VERSION);
        w.string(s.requestId()).name(s.status()).string(s.subjectKey());
        final WrappedKey key = s.dataKey();
        w.string(key.kekId()).bytes(key.wrapped());
        if (s.holdsIdentifiers()) {
            final byte[] plainKey = open(key, s.requestId());
            w.bytes(Sealing.seal(plainKey, s.requestId(), values(s)));
        } else {
            w.bytes(new byte[0]);
        }
        rest(w, s);
        return w.toBytes();
    }

    private byte[] open(WrappedKey key, String requestId) {
        try {
            return sealing.unwrap(new KeyWrapper.Wrapped(key.kekId(), key.wrapped()));
        } catch (SealException e) {
            throw new SerializationException("the data key of request " + requestId + " does not open: "
                    + e.getMessage(), e);
        }
    }

    /** The values a sealed state keeps in ciphertext; a missing subject is written as an empty one. */
    private static SealedIdentifiers values(RequestState s) {
        return new SealedIdentifiers(s.subject() == null ? new dev.lethe.avro.Identifier("", "")
                : new dev.lethe.avro.Identifier(s.subject().namespace(), s.subject().value()),
                s.identifiers().stream().map(id -> new dev.lethe.avro.Identifier(id.namespace(), id.value())).toList(),
                s.objects());
    }

    @Override
    public Deserializer<RequestState> deserializer() {
        return this::decode;
    }

    /** The compact encoding of {@code s}. */
    static byte[] encode(RequestState s) {
        final CompactBytes.Writer w = new CompactBytes.Writer(256 + 96 * s.systems().size());
        w.raw(TAG).raw(s.portal() == null ? PLAIN_V1 : VERSION);
        w.string(s.requestId()).name(s.status()).string(s.subjectKey());
        identifier(w, s.subject());
        w.varInt(s.identifiers().size());
        s.identifiers().forEach(id -> identifier(w, id));
        w.strings(s.objects());
        rest(w, s);
        return w.toBytes();
    }

    /** Everything after the values, the same in both versions; the portal only in versions 3 and 4. */
    private static void rest(CompactBytes.Writer w, RequestState s) {
        w.strings(s.namespaces());
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
        final Portal portal = s.portal();
        if (portal != null) {
            w.raw(1).string(portal.subjectRequestId()).string(portal.controllerId()).string(portal.expectedCompletion())
                    .strings(portal.callbackUrls());
        }
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
        final byte version = bytes[1];
        if (version != VERSION && version != SEALED_VERSION && version != PLAIN_V1 && version != SEALED_V2) {
            throw new SerializationException("ledger state format version " + bytes[1] + " is newer than this"
                    + " ledger reads (" + SEALED_VERSION + ")");
        }
        final CompactBytes.Reader r = new CompactBytes.Reader(bytes, 2);
        final String requestId = r.string();
        final RequestStatus status = r.name(RequestStatus.class);
        final String subjectKey = r.string();
        Identifier subject = null;
        List<Identifier> identifiers = List.of();
        List<String> objects = List.of();
        WrappedKey dataKey = null;
        if (version == SEALED_VERSION || version == SEALED_V2) {
            dataKey = new WrappedKey(r.string(), r.bytes());
            final byte[] sealed = r.bytes();
            if (sealed.length > 0) {
                if (sealing == null) {
                    throw new SerializationException("request " + requestId + "'s state is sealed: reading it needs"
                            + " the key-encryption key");
                }
                final SealedIdentifiers values;
                try {
                    values = Sealing.open(open(dataKey, requestId), requestId, sealed);
                } catch (SealException e) {
                    throw new SerializationException("request " + requestId + "'s sealed identifiers do not open: "
                            + e.getMessage(), e);
                }
                subject = values.getSubject().getNamespace().isEmpty() ? null
                        : new Identifier(values.getSubject().getNamespace(), values.getSubject().getValue());
                identifiers = values.getIdentifiers().stream()
                        .map(id -> new Identifier(id.getNamespace(), id.getValue())).toList();
                objects = values.getObjects();
            }
        } else {
            subject = identifier(r);
            identifiers = r.list(StateSerde::identifier);
            objects = r.strings();
        }
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
        final Portal portal = version == PLAIN_V1 || version == SEALED_V2 || r.raw() == 0 ? null
                : new Portal(r.string(), r.string(), r.string(), r.strings());
        if (!r.atEnd()) {
            throw new SerializationException("ledger state of request " + requestId + " has trailing bytes");
        }
        return new RequestState(requestId, status, subjectKey, subject, identifiers, objects, namespaces,
                jurisdiction, reason, source, scope, graceDays, requestedAt, deadline, finishedAt, updatedAt,
                systems, early, auditSeq, fingerprint, auditHead, baseDeadline, extensions, overdueAudited,
                attention, duplicateOf, dataKey, portal);
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
