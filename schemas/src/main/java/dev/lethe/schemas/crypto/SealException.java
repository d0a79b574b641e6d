package dev.lethe.schemas.crypto;

/** Sealed bytes that cannot be opened: wrong or destroyed key, unknown KEK, or bytes altered. */
public final class SealException extends RuntimeException {

    public SealException(String message) {
        super(message);
    }

    public SealException(String message, Throwable cause) {
        super(message, cause);
    }
}
