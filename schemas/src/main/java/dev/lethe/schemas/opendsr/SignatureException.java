package dev.lethe.schemas.opendsr;

/**
 * A body, a signature or a certificate that cannot be trusted: the message says why (never the
 * body itself, which may quote identities).
 */
public final class SignatureException extends Exception {

    public SignatureException(String message) {
        super(message);
    }

    public SignatureException(String message, Throwable cause) {
        super(message, cause);
    }
}
