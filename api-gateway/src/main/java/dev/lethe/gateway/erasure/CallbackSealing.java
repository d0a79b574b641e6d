package dev.lethe.gateway.erasure;

import dev.lethe.avro.SystemCallback;
import dev.lethe.gateway.http.ApiException;
import dev.lethe.schemas.crypto.SealException;
import dev.lethe.schemas.crypto.Sealing;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seals a partner's callback text ({@code detail}, {@code legalBasis}, which may quote the
 * subject's identifiers) under its request's data key before it goes onto
 * {@code erasure.callbacks}, so it is shredded with the request (issue 12). When it cannot (no
 * key-encryption key on this gateway, the request's data key not issued yet or already
 * destroyed), the callback goes as it is, in the clear, as before (docs/privacy.md).
 */
final class CallbackSealing {

    private static final Logger LOG = LoggerFactory.getLogger(CallbackSealing.class);

    private CallbackSealing() {
    }

    static SystemCallback sealed(SystemCallback callback, KeyLookup keys) {
        if (callback.getDetail() == null && callback.getLegalBasis() == null) {
            return callback;
        }
        final Optional<byte[]> key;
        try {
            key = keys.find(callback.getRequestId());
        } catch (ApiException e) {
            // no key-encryption key on this gateway (KeyLookup.none())
            return callback;
        } catch (SealException e) {
            LOG.warn("the callback text of request {} goes in the clear: its data key does not unwrap ({})",
                    callback.getRequestId(), e.getMessage());
            return callback;
        }
        if (key.isEmpty()) {
            LOG.info("the callback text of request {} goes in the clear: the request has no data key (not issued"
                    + " yet, or destroyed)", callback.getRequestId());
            return callback;
        }
        return Sealing.sealCallback(callback, key.get());
    }
}
