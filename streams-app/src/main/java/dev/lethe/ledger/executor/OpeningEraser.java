package dev.lethe.ledger.executor;

import dev.lethe.avro.ErasureEvent;
import dev.lethe.avro.SystemRegistration;
import dev.lethe.ledger.domain.Identifier;
import dev.lethe.schemas.crypto.SealException;
import dev.lethe.schemas.crypto.Sealing;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Opens an event's sealed identifiers (issue 12) with the request's data key before the built-in
 * executor acts on it, in memory only. When the data key is gone (destroyed
 * {@code LETHE_FORGET_AFTER} after the request finished) or does not open, the answer is FAILED
 * with a reason, never an erasure without identifiers. So is an event that names its subject by
 * the subject key only ({@code lethe replay}, {@code lethe cover}): the built-in executors find a
 * subject's data by its identifiers, and "nothing found" by a pseudonym would be a false answer.
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

    /** Why a built-in executor does not act on an event that names its subject by the subject key only. */
    static final String SUBJECT_KEY_ONLY = "a replayed or covered erasure names its subject by the subject key"
            + " only (the finished request no longer holds identifiers), and a built-in executor cannot find a"
            + " subject's data by it: erase it by hand and complete the system, or file a new request";

    @Override
    public Answer erase(ErasureEvent event, SystemRegistration system, Progress progress) {
        if (event.getSealed() == null) {
            return bySubjectKeyOnly(event) ? Answer.failed(SUBJECT_KEY_ONLY) : inner.erase(event, system, progress);
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
        return bySubjectKeyOnly(opened) ? Answer.failed(SUBJECT_KEY_ONLY) : inner.erase(opened, system, progress);
    }

    private static boolean bySubjectKeyOnly(ErasureEvent event) {
        return Identifier.SUBJECT_KEY.equals(event.getSubject().getNamespace()) && event.getIdentifiers().isEmpty()
                && event.getObjects().isEmpty();
    }
}
