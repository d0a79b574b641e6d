package dev.lethe.schemas.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link KeyWrapper} over key-encryption keys given as secrets (a file or the environment):
 * each secret is hashed (SHA-256) into an AES-256 KEK, whose id is the first 8 hex digits of a
 * second hash, so the id names the KEK without revealing it. Wrapping is AES-256-GCM
 * ({@link Aead}) with {@code "lethe-data-key:" + kekId} as associated data.
 */
public final class LocalKeyWrapper implements KeyWrapper {

    private static final String AD_PREFIX = "lethe-data-key:";

    private final String currentId;
    private final Map<String, byte[]> keks = new LinkedHashMap<>();

    /**
     * @param current  the secret of the KEK that wraps from now on
     * @param previous secrets of earlier KEKs, still accepted for unwrapping (rotation)
     */
    public LocalKeyWrapper(byte[] current, List<byte[]> previous) {
        final byte[] kek = kek(current);
        currentId = id(kek);
        keks.put(currentId, kek);
        for (byte[] secret : previous) {
            final byte[] old = kek(secret);
            keks.putIfAbsent(id(old), old);
        }
    }

    public static LocalKeyWrapper of(byte[] current) {
        return new LocalKeyWrapper(current, List.of());
    }

    @Override
    public String currentKekId() {
        return currentId;
    }

    @Override
    public Wrapped wrap(byte[] dataKey) {
        return new Wrapped(currentId, Aead.seal(keks.get(currentId), AD_PREFIX + currentId, dataKey));
    }

    @Override
    public byte[] unwrap(Wrapped wrapped) {
        final byte[] kek = keks.get(wrapped.kekId());
        if (kek == null) {
            throw new SealException("the key-encryption key " + wrapped.kekId() + " is not configured (current: "
                    + currentId + "); a data key wrapped under it cannot be opened");
        }
        return Aead.open(kek, AD_PREFIX + wrapped.kekId(), wrapped.bytes());
    }

    @Override
    public boolean rotating() {
        return keks.size() > 1;
    }

    /** Whether {@code kekId} is configured (current or previous). */
    public boolean knows(String kekId) {
        return keks.containsKey(kekId);
    }

    private static byte[] kek(byte[] secret) {
        return sha256("lethe-kek".getBytes(StandardCharsets.UTF_8), secret);
    }

    private static String id(byte[] kek) {
        return HexFormat.of().formatHex(sha256("lethe-kek-id".getBytes(StandardCharsets.UTF_8), kek), 0, 4);
    }

    private static byte[] sha256(byte[] label, byte[] bytes) {
        try {
            final MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(label);
            return digest.digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "LocalKeyWrapper[current=" + currentId + ", accepted=" + keks.keySet() + "]";
    }
}
