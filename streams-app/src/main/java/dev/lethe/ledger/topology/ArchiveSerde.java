package dev.lethe.ledger.topology;

import dev.lethe.avro.AuditFact;
import dev.lethe.ledger.archive.ArchiveView.Archived;
import dev.lethe.ledger.domain.RequestState;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The value format of {@code erasure.archive}: a finished and forgotten request's last state and
 * its whole audit trail, in the ledger's own compact binary formats. A value is the tag byte
 * {@code 'R'}, a format version ({@code 1}), then the state as {@link StateSerde} encodes a state
 * without a data key and the trail as {@link AuditSerde} encodes a trail piece, each
 * length-prefixed. Internal to the ledger like a changelog; a tombstone (null) is read as nothing.
 *
 * <p>Only a state that holds no identifier and no data key is archived (the archive is kept with
 * no time retention and copied onto every ledger instance): writing or reading any other is
 * refused.
 */
public final class ArchiveSerde implements Serde<Archived> {

    static final byte TAG = 'R';
    static final byte VERSION = 1;

    /** Reads only the compact state format, which is all an archived value holds. */
    private final StateSerde states = new StateSerde(null);
    private final AuditSerde trails = new AuditSerde(null);

    @Override
    public Serializer<Archived> serializer() {
        return (topic, archived) -> archived == null ? null : encode(archived);
    }

    @Override
    public Deserializer<Archived> deserializer() {
        return this::decode;
    }

    /** Whether {@code state} may be archived: it holds no identifier and no data key. */
    public static boolean archivable(RequestState state) {
        return state.dataKey() == null && !state.holdsIdentifiers() && state.fingerprint() == null;
    }

    static byte[] encode(Archived archived) {
        refuseUnlessArchivable(archived.state());
        final byte[] state = StateSerde.encode(archived.state());
        final byte[] trail = AuditSerde.encode(archived.trail());
        return new CompactBytes.Writer(state.length + trail.length + 12).raw(TAG).raw(VERSION)
                .bytes(state).bytes(trail).toBytes();
    }

    Archived decode(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        final byte[][] parts = parts(bytes);
        final RequestState state = states.decode(topic, parts[0]);
        refuseUnlessArchivable(state);
        final List<AuditFact> trail = trails.decode(topic, parts[1]);
        return new Archived(state, trail);
    }

    /**
     * Only the state of an archived value, its trail not decoded (for lists and look-ups, which
     * show states: a trail is most of a value). Null for a tombstone.
     *
     * @throws SerializationException as the deserializer
     */
    public RequestState decodeState(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        final RequestState state = states.decode(dev.lethe.schemas.Topics.ARCHIVE, parts(bytes)[0]);
        refuseUnlessArchivable(state);
        return state;
    }

    /** The state's and the trail's bytes of a value, its header and framing checked. */
    private static byte[][] parts(byte[] bytes) {
        if (bytes.length < 2 || bytes[0] != TAG) {
            throw new SerializationException("not an archived request: unknown format tag");
        }
        if (bytes[1] != VERSION) {
            throw new SerializationException("archive format version " + bytes[1] + " is not one this ledger reads ("
                    + VERSION + ")");
        }
        final CompactBytes.Reader r = new CompactBytes.Reader(bytes, 2);
        final byte[] stateBytes = r.bytes();
        final byte[] trailBytes = r.bytes();
        if (!r.atEnd()) {
            throw new SerializationException("archived request has trailing bytes");
        }
        if (stateBytes.length == 0 || stateBytes[0] != StateSerde.TAG
                || trailBytes.length == 0 || trailBytes[0] != AuditSerde.TAG) {
            throw new SerializationException("archived request holds a state or a trail in an unknown format");
        }
        return new byte[][] {stateBytes, trailBytes};
    }

    private static void refuseUnlessArchivable(RequestState state) {
        if (state.dataKey() != null) {
            throw new SerializationException("request " + state.requestId() + " still has its data key: only a"
                    + " forgotten request is archived");
        }
        if (state.fingerprint() != null) {
            throw new SerializationException("request " + state.requestId() + " still has its intake fingerprint:"
                    + " only a forgotten request is archived");
        }
        if (state.holdsIdentifiers()) {
            throw new SerializationException("request " + state.requestId() + " still holds identifier values:"
                    + " only a forgotten request is archived");
        }
    }
}
