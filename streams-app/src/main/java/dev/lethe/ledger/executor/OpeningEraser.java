package dev.lethe.ledger.executor;

import dev.lethe.avro.ErasureEvent;
import dev.lethe.avro.SystemRegistration;
import dev.lethe.schemas.crypto.SealException;
import dev.lethe.schemas.crypto.Sealing;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Opens an event's sealed identifiers (issue 12) with the request's data key before the built-in
 * executor acts on it, in memory only. When the data key is gone (destroyed
 * {@code LETHE_FORGET_AFTER} after the request finished) or does not open, the answer is FAILED
 * with a reason, never an erasure without identifiers.
 */
final class OpeningEraser implements SystemEraser {

    /** How long a look-up waits for {@code erasure.keys} to be read up to its end. */
    static final Duration KEY_WAIT = Duration.ofSeconds(10);

    private final SystemEraser inner;
    private final BiFunction<String, Duration, Optional<byte[]>> keys;

    /** @param keys request id and wait to the request's data key in the clear ({@link dev.lethe.schemas.crypto.KeyRing#find}) */
    OpeningEraser(SystemEraser inner, BiFunction<String, Duration, Optional<byte[]>> keys) {
        this.inner = inner;
        this.keys = keys;
    }

    @Override
    public Answer erase(ErasureEvent event, SystemRegistration system, Progress progress) {
        if (event.getSealed() == null) {
            return inner.erase(event, system, progress);
        }
        final Optional<byte[]> key;
        final ErasureEvent opened;
        try {
            key = keys.apply(event.getRequestId(), KEY_WAIT);
            if (key.isEmpty()) {
                return Answer.failed("the request's data key is destroyed or was never issued: its identifiers"
                        + " cannot be opened");
            }
            opened = Sealing.openEvent(event, key.get());
        } catch (SealException e) {
            return Answer.failed("the request's identifiers do not open: " + e.getMessage());
        }
        return inner.erase(opened, system, progress);
    }
}
