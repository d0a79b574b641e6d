package dev.lethe.schemas;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The subject key: a keyed pseudonym, HMAC-SHA-256 over {@code namespace ":" normalised value}
 * with a secret that never lives in a config file. Offline jobs holding the same secret compute
 * the same key and can join on it; nobody can read an identifier back from it.
 *
 * <p>Values are trimmed; e-mail addresses are also lower-cased, so that {@code Kim@Example.com}
 * and {@code kim@example.com} are one subject.
 */
public final class SubjectKeys {

    private static final String ALGORITHM = "HmacSHA256";
    private static final int MIN_SECRET_BYTES = 32;

    private final SecretKeySpec key;

    private SubjectKeys(byte[] secret) {
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the pseudonym secret must be at least " + MIN_SECRET_BYTES
                    + " bytes, got " + secret.length);
        }
        this.key = new SecretKeySpec(secret, ALGORITHM);
    }

    public static SubjectKeys ofSecret(byte[] secret) {
        return new SubjectKeys(secret.clone());
    }

    /** Reads the secret from a file (its bytes, trailing white space removed). */
    public static SubjectKeys fromFile(Path file) {
        try {
            final String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            return new SubjectKeys(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the pseudonym secret file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The subject key of one identifier, as 64 lower-case hex digits.
     *
     * @throws IllegalArgumentException when the namespace or the value holds a lone UTF-16 surrogate:
     *         it is not text, and as UTF-8 it would become {@code ?}, merging two subjects
     */
    public String of(String namespace, String value) {
        requireText(namespace, "namespace");
        requireText(value, "value");
        try {
            final Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            final String input = namespace + ':' + normalise(namespace, value);
            return HexFormat.of().formatHex(mac.doFinal(input.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is not available", e);
        }
    }

    private static void requireText(String text, String what) {
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("the identifier's " + what + " holds a lone UTF-16 surrogate");
            }
        }
    }

    static String normalise(String namespace, String value) {
        final String trimmed = value.strip();
        return "email".equals(namespace) ? trimmed.toLowerCase(Locale.ROOT) : trimmed;
    }
}
