package dev.lethe.schemas.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A secret read from the configuration (a file, or a variable inline). It never shows itself in
 * {@link #toString()}, and {@link #matches} compares a presented value with it in constant time,
 * over SHA-256 hashes, so neither a log line nor timing gives it away.
 */
public final class Secret {

    private final String value;
    private final byte[] hash;

    private Secret(String value) {
        this.value = value;
        this.hash = sha256(value);
    }

    /** A secret with this value (surrounding white space removed). */
    public static Secret of(String value) {
        return new Secret(value.strip());
    }

    /** The secret itself, for the one place that must send or use it. */
    public String value() {
        return value;
    }

    /** Its UTF-8 bytes. */
    public byte[] bytes() {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether {@code presented} is this secret, compared in constant time; false for null. */
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(hash, sha256(presented));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "(secret)";
    }
}
