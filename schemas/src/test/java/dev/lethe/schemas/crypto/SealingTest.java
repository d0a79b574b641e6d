package dev.lethe.schemas.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.avro.ErasureRequested;
import dev.lethe.avro.Identifier;
import dev.lethe.avro.SealedIdentifiers;
import dev.lethe.schemas.config.ConfigException;
import dev.lethe.schemas.config.Env;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SealingTest {

    private static final String ID = "7f6c3c1e-4b8e-4a57-9e51-0c7a6f1d2b9a";
    private static final byte[] OLD = "the-old-kek-of-at-least-thirty-two-bytes".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NEW = "the-new-kek-of-at-least-thirty-two-bytes".getBytes(StandardCharsets.UTF_8);

    private static ErasureRequested request() {
        return ErasureRequested.newBuilder().setRequestId(ID).setSubject(new Identifier("user_id", "u-77120"))
                .setIdentifiers(List.of(new Identifier("email", "sealed.kim@example.com")))
                .setObjects(List.of("s3://media/u-77120/a.png")).setJurisdiction("GDPR").setReason("r")
                .setSource("s").setRequestedAt(Instant.parse("2026-03-01T09:00:00Z")).build();
    }

    @Test
    void shouldSealARequestSoItsBytesHoldNoValueAndOpenItBackWhole() {
        final Sealing sealing = new Sealing(LocalKeyWrapper.of(NEW));
        final ErasureRequested sealed = sealing.sealRequest(request());

        final String text = sealed.toString() + new String(Sealing.bytes(sealed.getSealed().getCiphertext()),
                StandardCharsets.ISO_8859_1);
        assertFalse(text.contains("u-77120"));
        assertFalse(text.contains("sealed.kim@example.com"));
        assertEquals("user_id", sealed.getSubject().getNamespace());
        assertEquals("", sealed.getSubject().getValue());
        assertTrue(sealed.getObjects().isEmpty());
        assertEquals(request(), sealing.openRequest(sealed));
    }

    @Test
    void refusesToOpenUnderAnotherRequestId() {
        final byte[] key = Aead.newKey();
        final byte[] sealed = Sealing.seal(key, ID, new SealedIdentifiers(new Identifier("user_id", "u-1"),
                List.of(), List.of()));

        assertThrows(SealException.class, () -> Sealing.open(key, "another-request", sealed));
        assertThrows(SealException.class, () -> Sealing.open(Aead.newKey(), ID, sealed));
        assertEquals("u-1", Sealing.open(key, ID, sealed).getSubject().getValue());
    }

    @Test
    void shouldSealTheSameValuesDifferentlyEachTime() {
        final byte[] key = Aead.newKey();
        final byte[] plain = "u-1".getBytes(StandardCharsets.UTF_8);
        assertFalse(java.util.Arrays.equals(Aead.seal(key, ID, plain), Aead.seal(key, ID, plain)));
    }

    @Test
    void shouldUnwrapADataKeyWrappedUnderThePreviousKekAfterARotationAndReWrapItUnderTheNewOne() {
        final LocalKeyWrapper before = LocalKeyWrapper.of(OLD);
        final byte[] dataKey = Aead.newKey();
        final KeyWrapper.Wrapped underOld = before.wrap(dataKey);

        final LocalKeyWrapper rotated = new LocalKeyWrapper(NEW, List.of(OLD));
        assertArrayEquals(dataKey, rotated.unwrap(underOld));
        final KeyWrapper.Wrapped reWrapped = rotated.wrap(rotated.unwrap(underOld));
        assertEquals(rotated.currentKekId(), reWrapped.kekId());
        assertNotEquals(before.currentKekId(), rotated.currentKekId());

        // once the old KEK is removed, only re-wrapped keys open
        final LocalKeyWrapper after = LocalKeyWrapper.of(NEW);
        assertArrayEquals(dataKey, after.unwrap(reWrapped));
        final SealException refused = assertThrows(SealException.class, () -> after.unwrap(underOld));
        assertTrue(refused.getMessage().contains(before.currentKekId()));
    }

    @Test
    void refusesAWrappedKeyWhoseBytesWereAltered() {
        final LocalKeyWrapper wrapper = LocalKeyWrapper.of(NEW);
        final KeyWrapper.Wrapped wrapped = wrapper.wrap(Aead.newKey());
        final byte[] bytes = wrapped.bytes().clone();
        bytes[bytes.length - 1] ^= 1;

        assertThrows(SealException.class, () -> wrapper.unwrap(new KeyWrapper.Wrapped(wrapped.kekId(), bytes)));
    }

    @Test
    void shouldReadTheKekAndThePreviousOneFromTheEnvironment() {
        final Env env = Env.of(Map.of(KekConfig.INLINE_VARIABLE, new String(NEW, StandardCharsets.UTF_8),
                KekConfig.PREVIOUS_INLINE_VARIABLE, new String(OLD, StandardCharsets.UTF_8)));
        final KeyWrapper wrapper = KekConfig.read(env).orElseThrow();

        assertEquals(LocalKeyWrapper.of(NEW).currentKekId(), wrapper.currentKekId());
        assertArrayEquals(new byte[32], wrapper.unwrap(LocalKeyWrapper.of(OLD).wrap(new byte[32])));
        assertTrue(KekConfig.read(Env.of(Map.of())).isEmpty());
        assertThrows(ConfigException.class, () -> KekConfig.read(Env.of(Map.of(KekConfig.INLINE_VARIABLE, "short"))));
    }

    @Test
    void shouldLeaveAPlaintextRequestAsItIsWhenOpening() {
        final ErasureRequested plain = request();
        assertNull(plain.getSealed());
        assertEquals(plain, new Sealing(LocalKeyWrapper.of(NEW)).openRequest(plain));
    }
}
