package dev.lethe.ledger.topology;

import dev.lethe.ledger.domain.RequestState;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The {@code ledger} store's serde ({@link StateSerde}) with the states it decoded last remembered
 * by their stored bytes: a value read again unchanged (a request's status polled, the gateway's
 * read after its own write) is not decoded again. Decoding a sealed state opens its data key and
 * its sealed identifiers (two AES-GCM decryptions and an Avro read); the status read spent a fifth
 * of its time there. Exact by construction: the same bytes always decode to the same state, and a
 * request whose state changed (its identifiers dropped, its data key destroyed) has new bytes.
 *
 * <p>At most {@link #SLOTS} states, in pairs of slots chosen by the bytes' hash (a newly decoded
 * value takes the pair's first slot and moves the one there to the second, pushing out the oldest):
 * bounded, without locks, shared by the stream thread and the interactive queries. Like the
 * processor's recent states, it is process memory only and never written anywhere. What is encoded
 * is unchanged.
 *
 * <p>It keeps nothing of a finished request (docs/privacy.md, "In memory"): a finished state is
 * decoded every time and never remembered, and encoding one (the ledger storing the request as
 * finished) drops every state of that request still remembered (an open state holds its
 * identifiers in the clear), a scan of the slots once per finishing write. Stored values over
 * {@link #MAX_BYTES} are not remembered either, which bounds the memory to {@code SLOTS} x 64 KB.
 */
final class RememberedStates implements Serde<RequestState> {

    /** How many decoded states are kept (a power of two): two slots for each of {@code SLOTS / 2} hash values. */
    static final int SLOTS = 2048;
    /** A stored value longer than this (64 KB) is decoded every time. */
    static final int MAX_BYTES = 64 * 1024;

    private record Decoded(byte[] bytes, int hash, RequestState state) {
    }

    private final Serializer<RequestState> serializer;
    private final Deserializer<RequestState> deserializer;
    private final AtomicReferenceArray<Decoded> slots = new AtomicReferenceArray<>(SLOTS);

    RememberedStates(Serde<RequestState> serde) {
        final Serializer<RequestState> encode = serde.serializer();
        this.serializer = (topic, state) -> {
            if (finished(state)) {
                dropStatesOf(state.requestId());
            }
            return encode.serialize(topic, state);
        };
        final Deserializer<RequestState> decode = serde.deserializer();
        this.deserializer = new Deserializer<>() {
            @Override
            public RequestState deserialize(String topic, byte[] data) {
                return decoded(topic, data, decode);
            }

            @Override
            public RequestState deserialize(String topic, Headers headers, byte[] data) {
                return decoded(topic, data, decode);
            }
        };
    }

    @Override
    public Serializer<RequestState> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<RequestState> deserializer() {
        return deserializer;
    }

    private RequestState decoded(String topic, byte[] data, Deserializer<RequestState> decode) {
        if (data == null || data.length > MAX_BYTES) {
            return decode.deserialize(topic, data);
        }
        final int hash = Arrays.hashCode(data);
        final int first = ((hash ^ (hash >>> 16)) & (SLOTS / 2 - 1)) * 2;
        final Decoded newer = slots.get(first);
        if (holds(newer, hash, data)) {
            return newer.state();
        }
        final Decoded older = slots.get(first + 1);
        if (holds(older, hash, data)) {
            return older.state();
        }
        final RequestState state = decode.deserialize(topic, data);
        if (state != null && !finished(state)) {
            slots.set(first, new Decoded(data.clone(), hash, state));
            if (newer != null) {
                slots.set(first + 1, newer);
            }
        }
        return state;
    }

    private static boolean finished(RequestState state) {
        return state != null && state.status() != null && state.status().finished();
    }

    /** Forgets every remembered state of {@code requestId}: a scan of the slots, when a finished state is written. */
    private void dropStatesOf(String requestId) {
        for (int i = 0; i < SLOTS; i++) {
            final Decoded decoded = slots.get(i);
            if (decoded != null && decoded.state().requestId().equals(requestId)) {
                slots.compareAndSet(i, decoded, null);
            }
        }
    }

    private static boolean holds(Decoded decoded, int hash, byte[] data) {
        return decoded != null && decoded.hash() == hash && Arrays.equals(decoded.bytes(), data);
    }
}
