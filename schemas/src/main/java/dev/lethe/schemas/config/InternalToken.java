package dev.lethe.schemas.config;

/**
 * The shared secret that authenticates the calls between Lethe's own services: gateway to
 * ledger, and ledger to ledger (a forwarded query, a fan-out). Every service reads it from
 * {@value #FILE_VARIABLE} (or {@value #INLINE_VARIABLE} inline), at least {@value #MIN_BYTES}
 * bytes; the caller sends it as {@code Authorization: Bearer <secret>} and the ledger compares it
 * in constant time ({@link Secret#matches}).
 */
public final class InternalToken {

    public static final String FILE_VARIABLE = "LETHE_INTERNAL_TOKEN_FILE";
    public static final String INLINE_VARIABLE = "LETHE_INTERNAL_TOKEN";
    public static final int MIN_BYTES = 32;
    public static final String HEADER = "Authorization";
    private static final String SCHEME = "Bearer ";

    private InternalToken() {
    }

    /** The internal secret, which the services require. */
    public static Secret read(Env env) {
        return env.requiredSecret(FILE_VARIABLE, INLINE_VARIABLE, MIN_BYTES,
                "the secret shared by the gateway and the ledger, e.g. `openssl rand -hex 32`");
    }

    /** The value of the {@link #HEADER} header that carries {@code secret}. */
    public static String headerValue(Secret secret) {
        return SCHEME + secret.value();
    }

    /** Whether an {@link #HEADER} header value carries {@code secret}; false for null or another scheme. */
    public static boolean carries(String headerValue, Secret secret) {
        if (headerValue == null || !headerValue.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return false;
        }
        return secret.matches(headerValue.substring(SCHEME.length()).strip());
    }
}
