package dev.lethe.schemas.opendsr;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * The {@code subject_request_id} Lethe sends a processor for one (request, system): a lower-case
 * UUID in version-4 form (as the spec asks) derived from SHA-256 of both, so every retry, every
 * restart and every instance files the same id and a processor never sees the request twice.
 */
public final class SubjectRequestIds {

    private SubjectRequestIds() {
    }

    public static String of(String requestId, String system) {
        final byte[] hash;
        try {
            hash = MessageDigest.getInstance("SHA-256")
                    .digest(("opendsr\n" + requestId + '\n' + system).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x40); // version 4
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // IETF variant
        final ByteBuffer bytes = ByteBuffer.wrap(hash);
        return new UUID(bytes.getLong(), bytes.getLong()).toString();
    }
}
