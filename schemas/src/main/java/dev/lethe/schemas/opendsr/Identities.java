package dev.lethe.schemas.opendsr;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * An identity value in the {@code identity_format} a processor asks for: {@code raw} as it is;
 * {@code sha256}, {@code md5}, {@code sha1} as the lower-case hex digest of its UTF-8 bytes after
 * trimming (and, for an {@code email}, lower-casing, as processors that match hashed e-mail
 * addresses expect).
 */
public final class Identities {

    private Identities() {
    }

    public static String encode(String type, String format, String value) {
        final String algorithm = switch (format) {
            case "raw" -> null;
            case "sha256" -> "SHA-256";
            case "md5" -> "MD5";
            case "sha1" -> "SHA-1";
            default -> throw new IllegalArgumentException("unknown identity_format " + format);
        };
        if (algorithm == null) {
            return value;
        }
        final String normal = "email".equals(type) ? value.strip().toLowerCase(Locale.ROOT) : value.strip();
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm)
                    .digest(normal.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
