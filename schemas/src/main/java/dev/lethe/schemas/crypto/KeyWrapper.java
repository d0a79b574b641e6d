package dev.lethe.schemas.crypto;

/**
 * Wraps and unwraps data keys with a key-encryption key (KEK). The one seam where a KMS can be
 * plugged in later: Lethe never holds a KEK anywhere but behind this interface.
 *
 * <p>{@link #wrap} always uses the current KEK; {@link #unwrap} accepts the current one and every
 * previous one still configured (key rotation, docs/privacy.md), so a data key wrapped before a
 * rotation stays readable until it is re-wrapped.
 */
public interface KeyWrapper {

    /** The id of the KEK {@link #wrap} uses now. */
    String currentKekId();

    /** {@code dataKey} wrapped under the current KEK. */
    Wrapped wrap(byte[] dataKey);

    /**
     * The data key {@code wrapped} holds.
     *
     * @throws SealException when its KEK is not configured or the bytes do not open
     */
    byte[] unwrap(Wrapped wrapped);

    /**
     * Whether KEKs other than the current one are configured (a rotation is under way): data keys
     * wrapped under them should be re-wrapped under the current one.
     */
    default boolean rotating() {
        return false;
    }

    /** A wrapped data key and the id of the KEK that wrapped it. */
    record Wrapped(String kekId, byte[] bytes) {
    }
}
