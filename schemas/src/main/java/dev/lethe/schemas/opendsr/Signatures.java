package dev.lethe.schemas.opendsr;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;

/**
 * OpenDSR signatures: RSA (PKCS#1 v1.5) with SHA-256 over the raw body bytes, Base64-encoded in
 * the {@code X-OpenDSR-Signature} header. Verification takes the raw bytes as received, before
 * anything parses them. A signature may arrive wrapped over several lines (the spec's examples
 * are): whitespace inside it is ignored.
 */
public final class Signatures {

    public static final String ALGORITHM = "SHA256withRSA";

    private Signatures() {
    }

    /** The Base64 signature of {@code body} with {@code key}. */
    public static String sign(PrivateKey key, byte[] body) {
        try {
            final Signature signature = Signature.getInstance(ALGORITHM);
            signature.initSign(key);
            signature.update(body);
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with the configured key: " + e.getMessage(), e);
        }
    }

    /** Checks that {@code signature} (Base64) is {@code certificate}'s signature of {@code body}. */
    public static void verify(X509Certificate certificate, byte[] body, String signature) throws SignatureException {
        verify(certificate.getPublicKey(), body, signature);
    }

    /** Checks that {@code signature} (Base64) is the signature of {@code body} by {@code key}'s private half. */
    public static void verify(PublicKey key, byte[] body, String signature) throws SignatureException {
        if (signature == null || signature.isBlank()) {
            throw new SignatureException("no signature header (X-OpenDSR-Signature or X-OpenGDPR-Signature)");
        }
        final byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(signature.replaceAll("\\s+", ""));
        } catch (IllegalArgumentException e) {
            throw new SignatureException("the signature is not Base64");
        }
        try {
            final Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(key);
            verifier.update(body);
            if (!verifier.verify(bytes)) {
                throw new SignatureException("the signature does not match the body");
            }
        } catch (java.security.SignatureException | java.security.InvalidKeyException e) {
            throw new SignatureException("the signature does not match the body", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Lower-case hex SHA-256 of {@code bytes}. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Lower-case hex SHA-256 of {@code text} in UTF-8. */
    public static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }
}
