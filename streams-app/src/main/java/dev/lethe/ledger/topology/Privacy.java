package dev.lethe.ledger.topology;

import dev.lethe.schemas.crypto.Sealing;
import java.time.Duration;
import java.util.Objects;

/**
 * How the ledger keeps identifiers (issue 12): {@code sealing} seals them under each request's
 * data key, and {@code forgetAfter} ({@code LETHE_FORGET_AFTER}) is how long after a request
 * finished its data key is destroyed.
 */
public record Privacy(Sealing sealing, Duration forgetAfter) {

    /** {@code LETHE_FORGET_AFTER}'s default: seven days. */
    public static final Duration DEFAULT_FORGET_AFTER = Duration.ofDays(7);

    public Privacy {
        Objects.requireNonNull(sealing, "sealing");
        if (forgetAfter.isNegative()) {
            throw new IllegalArgumentException("forgetAfter must not be negative");
        }
    }
}
