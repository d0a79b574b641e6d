package dev.lethe.schemas.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM from the JDK ({@code javax.crypto}), the only cipher Lethe uses: a sealed value is
 * a format byte ({@link #FORMAT}), a fresh 12-byte random nonce and the ciphertext with its
 * 16-byte tag. The associated data binds a sealed value to what it belongs to (a request id, a
 * KEK id), so it cannot be moved to another request unnoticed.
 */
public final class Aead {

    /** The format byte of a sealed value. */
    public static final byte FORMAT = 1;
    public static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    /**
     * One cipher per thread, initialised afresh for every use: {@link Cipher#getInstance} looks the
     * provider up each time, which was 6 % of the ledger's stream thread (a state is sealed on every write).
     * On JDK 17 the cipher keeps the key it was last initialised with (and its AES key schedule) until
     * the thread's next use; docs/privacy.md ("In memory") says so. Clearing it would cost a second
     * initialisation per use.
     */
    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance(TRANSFORMATION);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform has " + TRANSFORMATION, e);
        }
    });

    private Aead() {
    }

    /** 32 fresh random bytes: a new AES-256 key. */
    public static byte[] newKey() {
        final byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }

    public static byte[] seal(byte[] key, String associated, byte[] plaintext) {
        final byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            final Cipher cipher = cipher(Cipher.ENCRYPT_MODE, key, nonce, associated);
            final byte[] out = new byte[1 + NONCE_BYTES + cipher.getOutputSize(plaintext.length)];
            out[0] = FORMAT;
            System.arraycopy(nonce, 0, out, 1, NONCE_BYTES);
            cipher.doFinal(plaintext, 0, plaintext.length, out, 1 + NONCE_BYTES);
            return out;
        } catch (GeneralSecurityException e) {
            throw new SealException("AES-GCM sealing failed: " + e.getClass().getSimpleName(), e);
        }
    }

    /** @throws SealException when {@code sealed} was not sealed with {@code key} and {@code associated} */
    public static byte[] open(byte[] key, String associated, byte[] sealed) {
        if (sealed == null || sealed.length < 1 + NONCE_BYTES + TAG_BITS / 8 || sealed[0] != FORMAT) {
            throw new SealException("not a sealed value of format " + FORMAT);
        }
        try {
            final Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, Arrays.copyOfRange(sealed, 1, 1 + NONCE_BYTES),
                    associated);
            return cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new SealException("the sealed value does not open with this key (" + e.getClass().getSimpleName()
                    + ")", e);
        }
    }

    private static Cipher cipher(int mode, byte[] key, byte[] nonce, String associated)
            throws GeneralSecurityException {
        if (key.length != KEY_BYTES) {
            throw new SealException("an AES-256 key has " + KEY_BYTES + " bytes, not " + key.length);
        }
        final Cipher cipher = CIPHERS.get();
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(associated.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
