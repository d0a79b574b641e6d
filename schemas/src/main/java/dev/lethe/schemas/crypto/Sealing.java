package dev.lethe.schemas.crypto;

import dev.lethe.avro.ErasureEvent;
import dev.lethe.avro.ErasureRequested;
import dev.lethe.avro.Identifier;
import dev.lethe.avro.SealedCallbackText;
import dev.lethe.avro.SealedIdentifiers;
import dev.lethe.avro.SealedRequest;
import dev.lethe.avro.SystemCallback;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Seals and opens the identifier values of a request (issue 12, crypto-shredding): the subject's
 * and every identifier's value and the object references, as one {@link SealedIdentifiers}
 * record (Avro binary) sealed with the request's data key ({@link Aead}, the request id as
 * associated data). The namespaces stay in the clear (routing needs them; they are not personal
 * data); a sealed record's values are empty strings and its objects an empty list.
 */
public final class Sealing {

    private final KeyWrapper wrapper;

    public Sealing(KeyWrapper wrapper) {
        this.wrapper = wrapper;
    }

    public KeyWrapper wrapper() {
        return wrapper;
    }

    /** A fresh data key, in the clear (kept in memory only) and wrapped (what is stored). */
    public record DataKey(byte[] plain, KeyWrapper.Wrapped wrapped) {
    }

    public DataKey newDataKey() {
        final byte[] plain = Aead.newKey();
        return new DataKey(plain, wrapper.wrap(plain));
    }

    /** {@code wrapped} under the current KEK (itself when it already is). */
    public KeyWrapper.Wrapped rewrap(KeyWrapper.Wrapped wrapped) {
        return wrapped.kekId().equals(wrapper.currentKekId()) ? wrapped : wrapper.wrap(wrapper.unwrap(wrapped));
    }

    public byte[] unwrap(KeyWrapper.Wrapped wrapped) {
        return wrapper.unwrap(wrapped);
    }

    /** The gateway's intake: {@code request} with its values sealed under a new data key carried (wrapped) along. */
    public ErasureRequested sealRequest(ErasureRequested request) {
        if (request.getSealed() != null) {
            return request;
        }
        final DataKey key = newDataKey();
        final byte[] ciphertext = seal(key.plain(), request.getRequestId(),
                new SealedIdentifiers(request.getSubject(), request.getIdentifiers(), request.getObjects()));
        return ErasureRequested.newBuilder(request)
                .setSubject(blank(request.getSubject()))
                .setIdentifiers(request.getIdentifiers().stream().map(Sealing::blank).toList())
                .setObjects(List.of())
                .setSealed(new SealedRequest(key.wrapped().kekId(), ByteBuffer.wrap(key.wrapped().bytes()),
                        ByteBuffer.wrap(ciphertext)))
                .build();
    }

    /** {@code request} with its values in the clear again (unchanged when it was never sealed). */
    public ErasureRequested openRequest(ErasureRequested request) {
        final SealedRequest sealed = request.getSealed();
        if (sealed == null) {
            return request;
        }
        final byte[] plain = wrapper.unwrap(new KeyWrapper.Wrapped(sealed.getKekId(), bytes(sealed.getDataKey())));
        final SealedIdentifiers values = open(plain, request.getRequestId(), bytes(sealed.getCiphertext()));
        return ErasureRequested.newBuilder(request)
                .setSubject(values.getSubject())
                .setIdentifiers(values.getIdentifiers())
                .setObjects(values.getObjects())
                .setSealed(null)
                .build();
    }

    /** {@code event} with its sealed values opened with the request's data key {@code plainKey}. */
    public static ErasureEvent openEvent(ErasureEvent event, byte[] plainKey) {
        if (event.getSealed() == null) {
            return event;
        }
        final SealedIdentifiers values = open(plainKey, event.getRequestId(), bytes(event.getSealed()));
        return ErasureEvent.newBuilder(event)
                .setSubject(values.getSubject())
                .setIdentifiers(values.getIdentifiers())
                .setObjects(values.getObjects())
                .setSealed(null)
                .build();
    }

    /** {@code event} with its values sealed under the request's data key {@code plainKey}. */
    public static ErasureEvent sealEvent(ErasureEvent event, byte[] plainKey) {
        final byte[] ciphertext = seal(plainKey, event.getRequestId(),
                new SealedIdentifiers(event.getSubject(), event.getIdentifiers(), event.getObjects()));
        return ErasureEvent.newBuilder(event)
                .setSubject(blank(event.getSubject()))
                .setIdentifiers(event.getIdentifiers().stream().map(Sealing::blank).toList())
                .setObjects(List.of())
                .setSealed(ByteBuffer.wrap(ciphertext))
                .build();
    }

    /**
     * {@code callback} with its free text ({@code detail}, {@code legalBasis}, which a partner may
     * fill with the subject's identifiers) sealed under the request's data key {@code plainKey},
     * {@code "<requestId>:callback"} as associated data (so it never opens as identifiers); the
     * clear fields are then null. A callback already sealed is returned as it is.
     */
    public static SystemCallback sealCallback(SystemCallback callback, byte[] plainKey) {
        if (callback.getSealed() != null) {
            return callback;
        }
        final byte[] ciphertext = Aead.seal(plainKey, callbackAssociated(callback.getRequestId()),
                encode(new SealedCallbackText(callback.getDetail(), callback.getLegalBasis()),
                        SealedCallbackText.class));
        return SystemCallback.newBuilder(callback).setDetail(null).setLegalBasis(null)
                .setSealed(ByteBuffer.wrap(ciphertext)).build();
    }

    /**
     * {@code callback} with its sealed free text opened with the request's data key {@code plainKey}
     * (unchanged when it was never sealed).
     *
     * @throws SealException when the key is not the request's or the bytes were altered
     */
    public static SystemCallback openCallback(SystemCallback callback, byte[] plainKey) {
        if (callback.getSealed() == null) {
            return callback;
        }
        final SealedCallbackText text = decode(Aead.open(plainKey, callbackAssociated(callback.getRequestId()),
                bytes(callback.getSealed())), SealedCallbackText.class);
        return SystemCallback.newBuilder(callback).setDetail(text.getDetail()).setLegalBasis(text.getLegalBasis())
                .setSealed(null).build();
    }

    private static String callbackAssociated(String requestId) {
        return requestId + ":callback";
    }

    public static byte[] seal(byte[] plainKey, String requestId, SealedIdentifiers values) {
        return Aead.seal(plainKey, requestId, encode(values, SealedIdentifiers.class));
    }

    /** @throws SealException when the key is not the request's or the bytes were altered */
    public static SealedIdentifiers open(byte[] plainKey, String requestId, byte[] sealed) {
        return decode(Aead.open(plainKey, requestId, sealed), SealedIdentifiers.class);
    }

    private static Identifier blank(Identifier identifier) {
        return new Identifier(identifier.getNamespace(), "");
    }

    public static byte[] bytes(ByteBuffer buffer) {
        final ByteBuffer copy = buffer.duplicate();
        final byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }

    private static <T> byte[] encode(T values, Class<T> type) {
        try {
            final ByteArrayOutputStream out = new ByteArrayOutputStream(128);
            final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new SpecificDatumWriter<>(type).write(values, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode identifiers", e);
        }
    }

    private static <T> T decode(byte[] bytes, Class<T> type) {
        try {
            final BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
            return new SpecificDatumReader<>(type).read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new SealException("sealed " + type.getSimpleName() + " does not decode (" + e.getClass().getSimpleName() + ")", e);
        }
    }
}
