package dev.lethe.schemas.crypto;

import dev.lethe.schemas.config.Env;
import dev.lethe.schemas.config.Secret;
import java.util.List;
import java.util.Optional;

/**
 * Reads the key-encryption key(s) from the environment: {@code LETHE_KEK_FILE} (preferred) or
 * {@code LETHE_KEK}, the KEK that wraps from now on; {@code LETHE_KEK_PREVIOUS_FILE} or
 * {@code LETHE_KEK_PREVIOUS}, the one before a rotation, still accepted for unwrapping until
 * every data key is re-wrapped (docs/privacy.md).
 */
public final class KekConfig {

    /** The shortest KEK secret accepted (it is hashed into the AES-256 key). */
    public static final int MIN_KEK_BYTES = 32;
    public static final String FILE_VARIABLE = "LETHE_KEK_FILE";
    public static final String INLINE_VARIABLE = "LETHE_KEK";
    public static final String PREVIOUS_FILE_VARIABLE = "LETHE_KEK_PREVIOUS_FILE";
    public static final String PREVIOUS_INLINE_VARIABLE = "LETHE_KEK_PREVIOUS";

    private KekConfig() {
    }

    /** The configured KEKs, or empty when neither {@code LETHE_KEK_FILE} nor {@code LETHE_KEK} is set. */
    public static Optional<KeyWrapper> read(Env env) {
        final Optional<Secret> current = env.secret(FILE_VARIABLE, INLINE_VARIABLE, MIN_KEK_BYTES);
        final List<byte[]> previous = env.secret(PREVIOUS_FILE_VARIABLE, PREVIOUS_INLINE_VARIABLE, MIN_KEK_BYTES)
                .map(secret -> List.of(secret.bytes())).orElse(List.of());
        return current.map(secret -> new LocalKeyWrapper(secret.bytes(), previous));
    }

    /**
     * The configured KEKs, or (when none is set) one derived from {@code fallback} (the ledger's
     * pseudonym secret) so a ledger upgraded without a KEK still seals; docs/privacy.md says why a
     * KEK of its own is better.
     */
    public static KeyWrapper readOrDerive(Env env, Secret fallback) {
        return read(env).orElseGet(() -> new LocalKeyWrapper(derived(fallback.bytes()), List.of()));
    }

    private static byte[] derived(byte[] secret) {
        final byte[] label = "lethe-kek-from-pseudonym-secret:".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        final byte[] out = new byte[label.length + secret.length];
        System.arraycopy(label, 0, out, 0, label.length);
        System.arraycopy(secret, 0, out, label.length, secret.length);
        return out;
    }
}
