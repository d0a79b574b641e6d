package dev.lethe.gateway.erasure;

import dev.lethe.gateway.http.ApiException;
import java.util.Optional;

/**
 * A request's data key in the clear, as the gateway opens sealed identifiers with it (issue 12):
 * read from {@code erasure.keys} ({@link dev.lethe.schemas.crypto.KeyRing}); empty once destroyed.
 */
@FunctionalInterface
public interface KeyLookup {

    Optional<byte[]> find(String requestId);

    /** No key-encryption key configured: opening answers 503. */
    static KeyLookup none() {
        return requestId -> {
            throw ApiException.unavailable("this gateway has no key-encryption key (LETHE_KEK_FILE): it cannot open"
                    + " sealed identifiers", 60);
        };
    }
}
